/**
 * `npm run bench`: sync-history against the loopback Trakt sandbox at Trakt's real limits
 * (GET 500 per 5 minutes, POST 1 per second). Prints the figures with their goals and writes bench-results/sync-history.json.
 * Options: --plays N (default 10000), --batch N (default 100), --time-scale X (default 1 = real time).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaItem } from '../lib/schema/types';
import { StateStore } from '../lib/store/state-store';
import { TokenStore } from '../lib/store/token-store';
import { HistorySync } from '../lib/sync/history-sync';
import { SyncLedger } from '../lib/sync/ledger';
import { createTraktAccount } from '../lib/trakt/account';
import { startTraktSandbox } from '../test/sandbox';
import { generatePlays } from '../test/sandbox/plays';
import { numberArg, saveSection } from './bench-report';

async function main(): Promise<void> {
  const playsCount = numberArg('plays', 10_000);
  const batchSize = numberArg('batch', 100);
  const timeScale = numberArg('time-scale', 1);
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
  const realTime = timeScale === 1;
  saveSection({
    bench: 'sync-history',
    title: 'sync-history: a whole history to Trakt',
    conditions: `${playsCount} plays, batch ${batchSize}, ${realTime ? "Trakt's real limits (500 GET / 5 min, 1 POST / s)" : `time scale ${timeScale}`}`,
    measures: [
      { figure: 'plays written / on the tracker', measured: `${figures.added} / ${figures.onSandbox}`, goal: `${playsCount} / ${playsCount}`, met: figures.added === playsCount && figures.onSandbox === playsCount },
      { figure: 'POST /sync/history vs ceil(plays/batch)', measured: `${posts} vs ${lowerBound} (+${figures.writesOverBoundPct} %)`, goal: 'within 2 %', met: figures.writesOverBoundPct <= 2 },
      { figure: 'requests per play', measured: String(figures.requestsPerPlay), goal: `≤ 1.1/${batchSize}`, met: figures.requestsPerPlay <= 1.1 / batchSize },
      { figure: '429 responses', measured: String(figures.received429), goal: '0', met: figures.received429 === 0 },
      // One write per second is Trakt's rule, so a batch per second is the ceiling; 90 % of it is the goal.
      { figure: 'plays per second', measured: String(figures.playsPerSecond), goal: realTime ? `≥ ${0.9 * batchSize} (1 write/s × batch ${batchSize})` : 'only judged at real time', met: realTime ? figures.playsPerSecond >= 0.9 * batchSize : undefined },
      { figure: 'wall time (s)', measured: String(figures.seconds), goal: '' },
      { figure: 're-run of the same history: requests', measured: String(rerunRequests), goal: '≤ 1', met: rerunRequests <= 1 },
    ],
    figures,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
