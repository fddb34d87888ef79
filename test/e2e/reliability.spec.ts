// The reliability run: 20,000 plays through a real Node-RED process (http in → sync-history → http
// response) against the fake Trakt, with 429 storms, 5xx bursts (also after the write landed),
// connection resets before and after processing, timeouts, token rotation, and the runtime killed
// hard (SIGKILL) twice with a write in flight. The user re-runs the whole input until it completes.
// Afterwards: the exact history, a consistent ledger, and no secret in any log or stray file.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { playKeys } from '../../lib/sync/play-keys';
import { SyncLedger } from '../../lib/sync/ledger';
import { StateStore } from '../../lib/store/state-store';
import type { MediaItem } from '../../lib/schema/types';
import { startTraktSandbox, type Faults, type TraktSandbox } from '../sandbox';
import { generatePlays, type GeneratedPlay } from '../sandbox/plays';
import { makeUserDir, NodeRedProcess, sleep, traktCredentials } from '../support/node-red-process';
import { countRequests, historyDiff } from './support';

const PLAYS = 20_000;
/** Plays per POST to the flow, like tautulli-in's pages of 1,000. */
const PAGE = 1000;
/** Trakt's limits run 100 times faster: POST 1 per 10 ms, GET 500 per 3 s, Retry-After in ms. */
const TIME_SCALE = 0.01;
const CLAWARR = {
  limits: { writeSpacingMs: 12, readsPerWindow: 500, readWindowMs: 300_000 * TIME_SCALE },
  backoffBaseMs: 10,
  timeoutMs: 1500,
};
const LEDGER_FILE = 'ledger-trakt_sandbox-user.jsonl';
/** Files that are meant to hold the secrets (the credential and token stores). */
const SECRET_STORES = new Set(['flows_cred.json', '.flows_cred.json.backup', join('clawarr', 'tokens.json')]);

type Event =
  | { at: number; label: string; faults: Partial<Faults> }
  | { at: number; label: string; action: 'expire-tokens' }
  /** SIGKILL while a write is in flight: after the fake Trakt applied it (answer held back), or before. */
  | { at: number; label: string; kill: 'after-processing' | 'before-processing' };

/** What happens once this many plays have landed on the fake Trakt, in order. */
const SCHEDULE: Event[] = [
  { at: 600, label: '429 storm (6)', faults: { storm429: 6 } },
  { at: 1500, label: '503 burst (2)', faults: { status503: 2 } },
  { at: 2500, label: 'write landed, answered 502', faults: { status500Processed: 1 } },
  { at: 3200, label: 'connection reset before processing', faults: { resetNext: 1 } },
  { at: 4000, label: 'write landed, connection reset', faults: { resetAfterProcessNext: 1 } },
  { at: 5000, label: 'SIGKILL: write applied, answer held back', kill: 'after-processing' },
  { at: 6500, label: '429 storm (8) and a 503', faults: { storm429: 8, status503: 1 } },
  { at: 7500, label: 'access token expired (refresh, rotation)', action: 'expire-tokens' },
  { at: 8500, label: 'timeout before processing', faults: { delayNext: 1, delayMs: 2500 } },
  { at: 9500, label: 'write landed, answer after the timeout', faults: { delayAfterProcessNext: 1, delayAfterProcessMs: 2500 } },
  { at: 10_500, label: '503 burst (5): the read-back fails too', faults: { status503: 5 } },
  { at: 11_000, label: '2 × 502 after processing and a reset after processing', faults: { status500Processed: 2, resetAfterProcessNext: 1 } },
  { at: 12_000, label: 'SIGKILL: write sent, not yet applied', kill: 'before-processing' },
  { at: 13_500, label: '429 storm (14, more than the client retries)', faults: { storm429: 14 } },
  { at: 15_000, label: 'access token expired (refresh, rotation)', action: 'expire-tokens' },
  { at: 16_000, label: '2 resets and 2 503s', faults: { resetNext: 2, status503: 2 } },
  { at: 17_500, label: '502 after processing and a reset after processing', faults: { status500Processed: 1, resetAfterProcessNext: 1 } },
  { at: 19_000, label: '429 storm (5)', faults: { storm429: 5 } },
];

/** Every file under dir except node_modules (the package link), relative to dir. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

describe('reliability: 20,000 plays through a real Node-RED under 429 storms, 5xx, resets and two SIGKILLs', function () {
  this.timeout(600_000);
  let sandbox: TraktSandbox;
  let red: NodeRedProcess;

  before(async () => {
    sandbox = await startTraktSandbox({ timeScale: TIME_SCALE });
    const options = await makeUserDir({
      clawarr: CLAWARR,
      logLevel: 'debug',
      flow: [
        { id: 'cfg', type: 'clawarr-trakt-config', apiUrl: sandbox.url },
        { id: 'in', type: 'http in', url: '/sync', method: 'post', wires: [['sync']] },
        { id: 'sync', type: 'clawarr-sync-history', tracker: 'cfg', batchSize: 100, idleSeconds: 0.2, wires: [['out', 'summary'], ['notSynced']] },
        { id: 'out', type: 'http response', wires: [] },
        // What a user watching the run sees: summaries, items not synced with their reason, caught errors.
        { id: 'summary', type: 'debug', active: true, tosidebar: false, console: true, tostatus: false, complete: 'payload', targetType: 'msg', wires: [] },
        { id: 'notSynced', type: 'debug', active: true, tosidebar: false, console: true, tostatus: false, complete: 'reason', targetType: 'msg', wires: [] },
        { id: 'onError', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
        { id: 'caught', type: 'debug', active: true, tosidebar: false, console: true, tostatus: false, complete: 'error', targetType: 'msg', wires: [] },
      ],
      credentials: { cfg: traktCredentials(sandbox.state.issueTokens()) },
    });
    red = new NodeRedProcess(options);
  });

  after(async () => {
    await red?.stop();
    await sandbox?.close();
  });

  it('ends with the exact history, no duplicate, nothing lost, a consistent ledger and no secret in the logs', async () => {
    const started = Date.now();
    const plays = generatePlays(sandbox.state.catalog, PLAYS, '2015-01-01T00:00:00.000Z');
    const pages: GeneratedPlay[][] = [];
    for (let i = 0; i < plays.length; i += PAGE) pages.push(plays.slice(i, i + PAGE));
    const control = (path: string, body?: unknown) =>
      fetch(`${sandbox.url}/_sandbox/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }).then((r) => {
        if (!r.ok) throw new Error(`sandbox control ${path}: ${r.status}`);
      });
    const ledgerStore = new StateStore(join(red.userDir, 'clawarr'));
    const fired: string[] = [];
    const kills: Array<{ kind: string; at: number; playsOnTrakt: number; unsettledOnDisk: number }> = [];

    // The adversary: watches the fake Trakt's history grow and strikes at the scheduled points.
    let stopWatching = false;
    const adversary = (async () => {
      for (const event of SCHEDULE) {
        while (sandbox.state.plays.length < event.at) {
          if (stopWatching) return;
          await sleep(1);
        }
        fired.push(`${sandbox.state.plays.length}: ${event.label}`);
        if ('faults' in event) await control('faults', event.faults);
        else if ('action' in event) await control('expire-tokens');
        else {
          // Hold the next write (after applying it, or before: then the fake drops it once the
          // client is gone) and kill the runtime while it waits for the answer.
          const fault: keyof Faults = event.kill === 'after-processing' ? 'delayAfterProcessNext' : 'delayNext';
          await control('faults', event.kill === 'after-processing' ? { delayAfterProcessNext: 1, delayAfterProcessMs: 3000 } : { delayNext: 1, delayMs: 3000 });
          while (sandbox.state.faults[fault] > 0) {
            if (stopWatching) return;
            await new Promise((r) => setImmediate(r));
          }
          const inFlight = sandbox.state.plays.length;
          const at = Date.now();
          await red.kill();
          kills.push({ kind: event.kill, at, playsOnTrakt: inFlight, unsettledOnDisk: new SyncLedger(ledgerStore, 'trakt:sandbox-user').unsettled().length });
        }
      }
    })();

    // The user: runs the flow with the whole input, again and again, until a run completes.
    const passes: Array<{ pages: number; added: number; skipped: number; notFound: number; failed: number; interrupted: boolean }> = [];
    for (;;) {
      if (passes.length >= 8) throw new Error(`no complete run after ${passes.length} passes: ${JSON.stringify(passes)}\n${red.output.slice(-5000)}`);
      if (!red.running) await red.start();
      const pass = { pages: 0, added: 0, skipped: 0, notFound: 0, failed: 0, interrupted: false };
      passes.push(pass);
      for (const page of pages) {
        let summary: Record<string, number>;
        try {
          summary = await red.sync(page);
        } catch (error) {
          // A killed runtime drops the request; anything else is a failure of the test.
          for (let i = 0; i < 200 && red.running; i++) await sleep(10);
          if (red.running) throw error;
          pass.interrupted = true;
          break;
        }
        pass.pages += 1;
        pass.added += summary.added;
        pass.skipped += summary.skipped;
        pass.notFound += summary.notFound;
        pass.failed += summary.failed;
      }
      if (!pass.interrupted && pass.failed === 0 && pass.notFound === 0) break;
    }
    stopWatching = true;
    await adversary;

    // One more run of the same input: everything is known, nothing reaches Trakt.
    // By arrival: a request cut by a kill is logged only when its held-back answer is dropped.
    const rerunStart = Date.now();
    const rerun = { added: 0, skipped: 0, failed: 0 };
    for (const page of pages) {
      const summary = await red.sync(page);
      rerun.added += summary.added;
      rerun.skipped += summary.skipped;
      rerun.failed += summary.failed;
    }
    const rerunRequests = sandbox.state.requestLog.filter((r) => r.at >= rerunStart).length;
    await red.stop();
    const seconds = (Date.now() - started) / 1000;

    // RELIABILITY_LOG=<file> keeps Node-RED's whole output of the run for a look afterwards.
    if (process.env.RELIABILITY_LOG) writeFileSync(process.env.RELIABILITY_LOG, red.allOutput);
    const log = sandbox.state.requestLog;
    const served = sandbox.state.faultsServed;
    const figures = {
      plays: PLAYS,
      onTrakt: sandbox.state.plays.length,
      passes: passes.length,
      'POST /sync/history': countRequests(sandbox, 'POST', '/sync/history'),
      'GET /sync/history': countRequests(sandbox, 'GET', '/sync/history'),
      'token refreshes': countRequests(sandbox, 'POST', '/oauth/token'),
      '429 answered (storms + limits)': sandbox.state.count429,
      '429 storm served': served.storm429 ?? 0,
      '5xx answered': log.filter((r) => r.status >= 500).length,
      '503 before processing': served.status503 ?? 0,
      '502 after processing': served.status500Processed ?? 0,
      'resets before processing': served.resetNext ?? 0,
      'resets after processing': served.resetAfterProcessNext ?? 0,
      'timeouts (before / after processing)': `${(served.delayNext ?? 0) - 1} / ${(served.delayAfterProcessNext ?? 0) - 1}`,
      kills: kills.length,
      starts: red.starts,
      'rerun requests': rerunRequests,
      seconds: Number(seconds.toFixed(1)),
    };
    console.log('      reliability run:');
    for (const [k, v] of Object.entries(figures)) console.log(`        ${k}: ${v}`);
    console.log(`        kills: ${JSON.stringify(kills.map(({ at: _at, ...k }) => k))}`);
    console.log(`        passes: ${JSON.stringify(passes)}`);
    console.log(`        events: ${fired.join(' | ')}`);

    // Exact history: every play once, nothing else.
    expect(historyDiff(sandbox, plays)).to.deep.equal({ missing: [], extra: [], duplicates: [] });
    expect(sandbox.state.plays).to.have.length(PLAYS);
    expect(fired).to.have.length(SCHEDULE.length);
    expect(rerun).to.deep.equal({ added: 0, skipped: PLAYS, failed: 0 });
    expect(rerunRequests).to.equal(0);

    // The run really was adverse, and both kills cut a write in flight (the journal holds it as pending).
    expect(kills).to.have.length(2);
    expect(kills.every((k) => k.unsettledOnDisk >= 1)).to.equal(true);
    expect(kills[0].playsOnTrakt).to.be.within(5100, 5200);
    expect(kills[1].playsOnTrakt).to.be.within(12_000, 12_100);
    // The write cut before it was applied arrived just before the kill and was never answered (nor applied).
    expect(log.some((r) => r.method === 'POST' && r.path === '/sync/history' && r.status === 0 && r.at <= kills[1].at && r.at > kills[1].at - 1000)).to.equal(true);
    expect(red.starts).to.be.at.least(3);
    expect(served.storm429).to.be.greaterThan(0);
    expect((served.status503 ?? 0) + (served.status500Processed ?? 0)).to.be.greaterThan(0);
    expect(served.status500Processed).to.be.greaterThan(0);
    expect(served.resetNext).to.be.greaterThan(0);
    expect(served.resetAfterProcessNext).to.be.greaterThan(0);
    expect(figures['token refreshes']).to.equal(2);

    // The ledger on disk: every line readable, every write settled, every play confirmed, none "not found".
    const lines = readFileSync(join(red.userDir, 'clawarr', LEDGER_FILE), 'utf8').split('\n').filter((l) => l.trim());
    const records = lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { op: string; batch?: string; plays?: string[][] }];
      } catch {
        return [];
      }
    });
    const torn = lines.length - records.length;
    // A SIGKILL can only tear the line being appended, so at most one per kill.
    expect(torn).to.be.at.most(kills.length);
    const pendingBatches = new Set(records.filter((r) => r.op === 'pending').map((r) => r.batch));
    const settledBatches = new Set(records.filter((r) => r.op === 'settled').map((r) => r.batch));
    expect([...pendingBatches].filter((b) => !settledBatches.has(b))).to.deep.equal([]);
    expect(records.filter((r) => r.op === 'nf')).to.deep.equal([]);
    const confirmed = new Set(records.filter((r) => r.op === 'ok').flatMap((r) => r.plays!.flat()));
    expect(plays.filter((p) => !playKeys(p as MediaItem).some((k) => confirmed.has(k)))).to.deep.equal([]);
    const ledger = new SyncLedger(ledgerStore, 'trakt:sandbox-user');
    expect(ledger.unsettled()).to.deep.equal([]);
    expect(plays.filter((p) => !ledger.isSynced(p as MediaItem))).to.deep.equal([]);
    expect(statSync(join(red.userDir, 'clawarr', LEDGER_FILE)).mode & 0o777).to.equal(0o600);

    // Secrets: the client secret and every token the fake Trakt issued during the run.
    const secrets = ['sandbox-client-secret', ...sandbox.state.tokens.access.keys(), ...sandbox.state.tokens.refresh.keys()];
    expect(secrets.length).to.equal(1 + 2 * 3); // the seeded pair and two rotations
    const leaks: string[] = [];
    for (const secret of secrets) if (red.allOutput.includes(secret)) leaks.push(`Node-RED output holds ${secret.slice(0, 6)}…`);
    const files = filesUnder(red.userDir);
    for (const file of files) {
      if (SECRET_STORES.has(file)) continue;
      const text = readFileSync(join(red.userDir, file), 'utf8');
      for (const secret of secrets) if (text.includes(secret)) leaks.push(`${file} holds ${secret.slice(0, 6)}…`);
    }
    expect(leaks).to.deep.equal([]);
    // The stores do hold them (so the search above looked for the right strings): the last pair in clawarr/tokens.json.
    const stored = JSON.parse(readFileSync(join(red.userDir, 'clawarr', 'tokens.json'), 'utf8')) as Record<string, { accessToken: string; refreshToken: string }>;
    expect(secrets).to.include.members([stored.cfg.accessToken, stored.cfg.refreshToken]);
    expect(sandbox.state.tokens.check(stored.cfg.accessToken).ok).to.equal(true);
    // The run's errors did reach the log (redacted), so the check above looked at real error text.
    expect(red.allOutput).to.match(/outcome unknown|may have (been applied|reached)|rate limit/);
  });
});
