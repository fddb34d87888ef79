/**
 * `npm run bench`: sync-history against the loopback Trakt sandbox at Trakt's real limits
 * (GET 500 per 5 minutes, POST 1 per second). Prints the figures and writes bench-results/*.json.
 * Options: --plays N (default 10000), --batch N (default 100), --time-scale X (default 1 = real time).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MediaItem } from '../lib/schema/types';
import { StateStore } from '../lib/store/state-store';
import { TokenStore } from '../lib/store/token-store';
import { HistorySync } from '../lib/sync/history-sync';
import { SyncLedger } from '../lib/sync/ledger';
import { createTraktAccount } from '../lib/trakt/account';
import { startTraktSandbox } from '../test/sandbox';
import { generatePlays } from '../test/sandbox/plays';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const playsCount = arg('plays', 10_000);
  const batchSize = arg('batch', 100);
  const timeScale = arg('time-scale', 1);
  const sandbox = await startTraktSandbox({ timeScale });
  const store = new StateStore(join(mkdtempSync(join(tmpdir(), 'clawarr-bench-')), 'clawarr'));
  const tokens = new TokenStore(store);
  const issued = sandbox.state.issueTokens();
  tokens.set('bench', { accessToken: issued.access_token, refreshToken: issued.refresh_token, createdAt: issued.created_at, expiresAt: issued.created_at + issued.expires_in, username: 'sandbox-user' });
  const limits = { writeSpacingMs: 1000 * timeScale, readWindowMs: 300_000 * timeScale };
  const account = () =>
    createTraktAccount({ apiUrl: sandbox.url, app: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' }, tokens: tokens.get('bench'), persist: (t) => tokens.set('bench', t), limits });
  const plays = generatePlays(sandbox.state.catalog, playsCount) as MediaItem[];

  console.log(`sync-history bench: ${playsCount} plays, batch ${batchSize}, sandbox at ${timeScale === 1 ? "Trakt's real limits" : `time scale ${timeScale}`}`);
  const started = Date.now();
  const first = account();
  const firstReport = await new HistorySync(first.client, SyncLedger.open(store, await first.client.accountKey()), { batchSize }).sync(plays, (done, total) => {
    if (done % (batchSize * 10) === 0 || done === total) process.stdout.write(`\r  synced ${done}/${total}`);
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write('\n');
  const firstRequests = sandbox.state.requestLog.length;
  const posts = sandbox.state.requestLog.filter((r) => r.method === 'POST' && r.path.startsWith('/sync/history')).length;

  SyncLedger.closeAll(); // a re-run as after a restart: the ledger comes back from disk
  const second = account();
  const rerunReport = await new HistorySync(second.client, SyncLedger.open(store, await second.client.accountKey()), { batchSize }).sync(plays);
  const rerunRequests = sandbox.state.requestLog.length - firstRequests;
  await sandbox.close();

  const lowerBound = Math.ceil(playsCount / batchSize);
  const figures = {
    plays: playsCount,
    batchSize,
    timeScale,
    added: firstReport.added.length,
    onSandbox: sandbox.state.plays.length,
    requests: firstRequests,
    requestsPerPlay: +(firstRequests / playsCount).toFixed(4),
    writes: posts,
    writesLowerBound: lowerBound,
    writesOverBoundPct: +(((posts - lowerBound) / lowerBound) * 100).toFixed(2),
    received429: sandbox.state.count429,
    seconds: +seconds.toFixed(1),
    playsPerSecond: +(playsCount / seconds).toFixed(1),
    rerunRequests,
    rerunAdded: rerunReport.added.length,
  };
  const rows: Array<[string, string, string]> = [
    ['plays written / on the sandbox', `${figures.added} / ${figures.onSandbox}`, `${playsCount} / ${playsCount}`],
    ['requests per play', String(figures.requestsPerPlay), `≈ 1/${batchSize}`],
    ['POST /sync/history vs ceil(plays/batch)', `${posts} vs ${lowerBound} (+${figures.writesOverBoundPct}%)`, 'within 2%'],
    ['429 responses received', String(figures.received429), '0'],
    ['plays per second', String(figures.playsPerSecond), `bounded by 1 write/s × ${batchSize}`],
    ['wall time (s)', String(figures.seconds), ''],
    ['re-run of the same history: requests', String(rerunRequests), '≤ 1'],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\n' + rows.map(([k, v, goal]) => `  ${k.padEnd(width)}  ${v.padEnd(22)}  goal: ${goal}`).join('\n'));
  const outDir = resolve(__dirname, '..', '..', 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'sync-history.json'), JSON.stringify(figures, null, 2));
  console.log(`\n  figures written to ${join(outDir, 'sync-history.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
