/**
 * `npm run bench` (third part): playback events through the scrobble engine.
 * A: the engine alone (a tracker that answers at once): events per second it can take.
 * B: against the fake Trakt at its real write limit (1 per second): events per second reached, which
 *    should be the tracker's limit, nothing less. Options: --events N (default 20) for B.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScrobbleAction, ScrobbleProvider, ScrobbleResult } from '../lib/provider';
import type { MediaItem } from '../lib/schema/types';
import { Scrobbler } from '../lib/scrobble/scrobbler';
import { StateStore } from '../lib/store/state-store';
import { SyncLedger } from '../lib/sync/ledger';
import { createTraktAccount } from '../lib/trakt/account';
import { TraktScrobbler } from '../lib/trakt/scrobble';
import { catalogFor, startTraktSandbox } from '../test/sandbox';
import { numberArg, saveSection } from './bench-report';

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
  const count = numberArg('events', 20);
  console.log('scrobble bench');
  const alone = await engineAlone();
  const trakt = await againstTrakt(count);
  saveSection({
    bench: 'scrobble',
    title: 'scrobble: live playback events',
    conditions: `engine alone: 4,000 events of 1,000 viewers; fake Trakt: ${count} stops at once at the real limit (1 write / s)`,
    measures: [
      { figure: 'engine alone: events / tracker requests', measured: `${alone.events} / ${alone.requests}`, goal: 'every event answered', met: alone.requests === alone.events },
      // Trakt takes one write a second; the engine must be orders of magnitude away from being the bound.
      { figure: 'engine alone: events per second', measured: String(alone.eventsPerSecond), goal: '≥ 100 (100 × the tracker limit)', met: alone.eventsPerSecond >= 100 },
      { figure: 'fake Trakt: stops / plays recorded', measured: `${trakt.events} / ${trakt.plays}`, goal: 'one play each', met: trakt.plays === trakt.events },
      // The first stop needs no wait, so a handful of events overstates the rate: judged from 20 events on.
      { figure: 'fake Trakt: events per second', measured: `${trakt.eventsPerSecond} (limit ${trakt.bound}/s)`, goal: count >= 20 ? '≥ 0.9 × the limit' : '≥ 0.9 × the limit, judged from 20 events', met: count >= 20 ? trakt.eventsPerSecond >= 0.9 * trakt.bound : undefined },
      { figure: 'fake Trakt: 429 responses', measured: String(trakt.received429), goal: '0', met: trakt.received429 === 0 },
    ],
    figures: { engineAlone: alone, trakt },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
