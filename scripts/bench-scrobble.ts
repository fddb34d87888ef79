/**
 * `npm run bench` (third part): playback events through the scrobble engine.
 * A: the engine alone (a tracker that answers at once): events per second it can take.
 * B: against the fake Trakt at its real write limit (1 per second): events per second reached, which
 *    should be the tracker's limit, nothing less. Options: --events N (default 20) for B.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScrobbleAction, ScrobbleProvider, ScrobbleResult } from '../lib/provider';
import type { MediaItem } from '../lib/schema/types';
import { Scrobbler } from '../lib/scrobble/scrobbler';
import { StateStore } from '../lib/store/state-store';
import { SyncLedger } from '../lib/sync/ledger';
import { createTraktAccount } from '../lib/trakt/account';
import { TraktScrobbler } from '../lib/trakt/scrobble';
import { catalogFor, startTraktSandbox } from '../test/sandbox';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const catalog = catalogFor();
const movie = (i: number, action: ScrobbleAction, progress: number): MediaItem => {
  const m = catalog.movies[i % catalog.movies.length];
  return { type: 'movie', title: m.title, year: m.year, ids: { imdb: m.imdb, tmdb: m.tmdb }, action, progress };
};

class InstantTracker implements ScrobbleProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'instant';
  requests = 0;
  async scrobble(action: ScrobbleAction, _item: MediaItem, progress: number): Promise<ScrobbleResult> {
    this.requests += 1;
    return { action: action === 'stop' ? (progress >= 80 ? 'scrobble' : 'pause') : action, progress, watchedAt: new Date().toISOString() };
  }
}

async function engineAlone(): Promise<{ events: number; requests: number; seconds: number; eventsPerSecond: number }> {
  const tracker = new InstantTracker();
  const scrobbler = new Scrobbler(tracker, { coalesceMs: 0 });
  const events: Array<Promise<unknown>> = [];
  const started = Date.now();
  // 1,000 people each start, pause, resume and finish a film.
  for (const [action, progress] of [['start', 5], ['pause', 30], ['start', 30], ['stop', 95]] as Array<[ScrobbleAction, number]>) {
    for (let user = 0; user < 1000; user++) events.push(scrobbler.handle({ item: movie(user, action, progress), user: `user${user}` }));
    await Promise.all(events);
  }
  const seconds = (Date.now() - started) / 1000;
  await scrobbler.close();
  return { events: events.length, requests: tracker.requests, seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(events.length / seconds) };
}

async function againstTrakt(count: number): Promise<{ events: number; seconds: number; eventsPerSecond: number; bound: number; received429: number; plays: number }> {
  const trakt = await startTraktSandbox();
  const issued = trakt.state.issueTokens();
  const account = createTraktAccount({
    apiUrl: trakt.url,
    app: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' },
    tokens: { accessToken: issued.access_token, refreshToken: issued.refresh_token, createdAt: issued.created_at, expiresAt: issued.created_at + issued.expires_in, username: 'sandbox-user' },
    persist: () => undefined,
  });
  const store = new StateStore(join(mkdtempSync(join(tmpdir(), 'clawarr-bench-scrobble-')), 'clawarr'));
  const scrobbler = new Scrobbler(new TraktScrobbler(account.client), { coalesceMs: 0, ledger: SyncLedger.open(store, 'trakt:sandbox-user') });
  const started = Date.now();
  // Different people finishing different films at once: every event is a write Trakt must take.
  await Promise.all(Array.from({ length: count }, (_, i) => scrobbler.handle({ item: movie(i, 'stop', 95), user: `user${i}` })));
  const seconds = (Date.now() - started) / 1000;
  await scrobbler.close();
  await account.limiter.stop();
  const result = { events: count, seconds: +seconds.toFixed(1), eventsPerSecond: +(count / seconds).toFixed(2), bound: 1, received429: trakt.state.count429, plays: trakt.state.plays.length };
  await trakt.close();
  return result;
}

async function main(): Promise<void> {
  const count = arg('events', 20);
  console.log('scrobble bench');
  const alone = await engineAlone();
  const trakt = await againstTrakt(count);
  const rows: Array<[string, string, string]> = [
    ['engine alone: events / requests', `${alone.events} / ${alone.requests}`, 'every event answered'],
    ['engine alone: events per second', String(alone.eventsPerSecond), 'far above any tracker limit'],
    ['fake Trakt: stops / plays recorded', `${trakt.events} / ${trakt.plays}`, 'one play each'],
    ['fake Trakt: events per second', `${trakt.eventsPerSecond} (limit ${trakt.bound}/s)`, "the tracker's limit is the only bound"],
    ['fake Trakt: 429 responses', String(trakt.received429), '0'],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log('\n' + rows.map(([k, v, goal]) => `  ${k.padEnd(width)}  ${v.padEnd(22)}  goal: ${goal}`).join('\n'));
  const outDir = resolve(__dirname, '..', '..', 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'scrobble.json'), JSON.stringify({ engineAlone: alone, trakt }, null, 2));
  console.log(`\n  figures written to ${join(outDir, 'scrobble.json')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
