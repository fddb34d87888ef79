/**
 * `npm run bench` (second part): Plex history through Tautulli → match → sync-history on the loopback
 * sandboxes, Trakt at its real limits (GET 500 per 5 minutes, POST 1 per second). Prints requests by
 * kind against their lower bounds, and a warm re-run. Options: --plays N (default 10000), --time-scale X.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matcher } from '../lib/match/matcher';
import type { MediaItem } from '../lib/schema/types';
import { IdCache } from '../lib/store/id-cache';
import { StateStore } from '../lib/store/state-store';
import { TokenStore } from '../lib/store/token-store';
import { HistorySync } from '../lib/sync/history-sync';
import { SyncLedger } from '../lib/sync/ledger';
import { FlushQueue } from '../lib/sync/flush-queue';
import { foldTitle } from '../lib/schema/fold-title';
import { TautulliClient } from '../lib/tautulli/client';
import { MetadataCache } from '../lib/tautulli/metadata-cache';
import { HistoryReader } from '../lib/tautulli/reader';
import { createTraktAccount } from '../lib/trakt/account';
import { TraktMatchProvider } from '../lib/trakt/search';
import { generateTautulliLibrary, startTautulliSandbox, startTraktSandbox, TAUTULLI_SANDBOX_API_KEY } from '../test/sandbox';
import { numberArg, saveSection } from './bench-report';

const PAGE_SIZE = 1000;
const BATCH = 100;

async function main(): Promise<void> {
  const plays = numberArg('plays', 10_000);
  const timeScale = numberArg('time-scale', 1);
  const trakt = await startTraktSandbox({ timeScale });
  const library = generateTautulliLibrary(trakt.state.catalog, { plays, seed: 11 });
  const tautulli = await startTautulliSandbox({ library });
  const store = new StateStore(join(mkdtempSync(join(tmpdir(), 'clawarr-bench-plex-')), 'clawarr'));
  const tokens = new TokenStore(store);
  const issued = trakt.state.issueTokens();
  tokens.set('bench', { accessToken: issued.access_token, refreshToken: issued.refresh_token, createdAt: issued.created_at, expiresAt: issued.created_at + issued.expires_in, username: 'sandbox-user' });
  const readerFile = 'bench-reader.json';

  /** One run as the example flow does it: read → match → sync, everything from the state dir. */
  async function run(onProgress: (text: string) => void): Promise<{ items: number; unmatched: number; synced: number; notFound: number; searches: number; lookups: number; metadata: number; history: number }> {
    SyncLedger.closeAll();
    const account = createTraktAccount({
      apiUrl: trakt.url,
      app: { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' },
      tokens: tokens.get('bench'),
      persist: (t) => tokens.set('bench', t),
      limits: { writeSpacingMs: 1000 * timeScale, readWindowMs: 300_000 * timeScale },
    });
    const client = new TautulliClient({ url: tautulli.url, apiKey: TAUTULLI_SANDBOX_API_KEY });
    const metadata = new MetadataCache(client, store);
    const reader = new HistoryReader(client, metadata, { load: () => store.readJson(readerFile, { seen: [] }), save: (s) => store.writeJson(readerFile, s) });
    const matcher = new Matcher(new TraktMatchProvider(account.client), { movie: new IdCache(store, undefined, 'id-cache-trakt-movies.json'), show: new IdCache(store, undefined, 'id-cache-trakt-shows.json') });
    const sync = new HistorySync(account.client, SyncLedger.open(store, await account.client.accountKey()), { batchSize: BATCH });
    let items = 0;
    let unmatched = 0;
    let synced = 0;
    let notFound = 0;
    // As sync-history does it: whole batches across pages, the remainder at the end.
    const queue = new FlushQueue<MediaItem[]>({
      flushAt: BATCH,
      idleMs: 3_600_000,
      sizeOf: (entry) => entry.length,
      split: (entry, size) => [entry.slice(0, size), entry.slice(size)],
      flush: async (entries) => {
        const report = await sync.sync(entries.flat());
        synced += report.added.length;
        notFound += report.notFound.length;
      },
    });
    const read = await reader.read({ pageSize: PAGE_SIZE }, async (page) => {
      items += page.items.length;
      const results = await matcher.matchAll(page.items);
      const matched = results.filter((r) => r.matched).map((r) => r.item as MediaItem);
      unmatched += results.length - matched.length;
      queue.add([matched]);
      onProgress(`read ${page.done}/${page.total}, synced ${synced}`);
    });
    await queue.flush();
    await queue.close();
    metadata.save();
    matcher.save();
    const stats = matcher.stats();
    return { items, unmatched, synced, notFound, searches: stats.searches, lookups: stats.lookups, metadata: read.requests.metadata, history: read.requests.history };
  }

  console.log(`Plex → Trakt bench: ${plays} watched plays for 3 users, Tautulli pages of ${PAGE_SIZE}, batches of ${BATCH}, Trakt ${timeScale === 1 ? 'at its real limits' : `at time scale ${timeScale}`}`);
  const started = Date.now();
  const first = await run((text) => process.stdout.write(`\r  ${text}   `));
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write('\n');
  const traktAfterFirst = trakt.state.requestLog.length;
  const tautulliAfterFirst = tautulli.state.requestLog.length;
  const writes = trakt.state.requestLog.filter((r) => r.method === 'POST' && r.path.startsWith('/sync/history')).length;
  const traktGets = trakt.state.requestLog.filter((r) => r.method === 'GET').length;

  await run(() => undefined);
  const warmRequests = trakt.state.requestLog.length - traktAfterFirst + tautulli.state.requestLog.length - tautulliAfterFirst;
  await trakt.close();
  await tautulli.close();

  // Lower bounds, from the library itself rather than from clawarr's own logic.
  const groups = library.expected.length;
  const watchedRefs = new Set(library.expected.filter((p) => p.watched).map((p) => Number(p.ref)));
  const plexKeys = new Set(library.sessions.filter((s) => watchedRefs.has(s.referenceId)).map((s) => s.ratingKey).filter((key) => library.items.find((i) => i.ratingKey === key)?.guidKind === 'plex'));
  const needsSearch = new Set<string>();
  for (const session of library.sessions) {
    if (!watchedRefs.has(session.referenceId)) continue;
    const item = library.items.find((i) => i.ratingKey === session.ratingKey);
    if (!item || !['local', 'none', 'hama-anidb'].includes(item.guidKind)) continue;
    const show = item.mediaType === 'episode' ? library.items.find((i) => i.ratingKey === item.grandparentRatingKey) : undefined;
    needsSearch.add(show ? `show:${foldTitle(show.title)}` : `movie:${foldTitle(item.title)}:${item.year}`);
  }
  const bounds = { history: Math.ceil(groups / PAGE_SIZE), metadata: plexKeys.size, searches: needsSearch.size, writes: 0 };
  const matchedPlays = first.synced + first.notFound;
  bounds.writes = Math.ceil(matchedPlays / BATCH);
  const pct = (value: number, bound: number) => (bound ? `${(((value - bound) / bound) * 100).toFixed(1)}%` : value ? '∞' : '0%');
  const figures = {
    plays,
    groups,
    items: first.items,
    synced: first.synced,
    unmatched: first.unmatched,
    notOnTrakt: first.notFound,
    onTrakt: trakt.state.plays.length,
    seconds: +seconds.toFixed(1),
    received429: trakt.state.count429,
    requests: {
      getHistoryPages: { value: first.history, bound: bounds.history },
      getMetadata: { value: first.metadata, bound: bounds.metadata },
      searches: { value: first.searches, bound: bounds.searches },
      idLookups: { value: first.lookups, bound: 0 },
      writes: { value: writes, bound: bounds.writes },
      traktGets: traktGets,
    },
    requestsPerPlay: +((traktAfterFirst + tautulliAfterFirst) / plays).toFixed(4),
    warmRerunRequests: warmRequests,
  };
  const within = (value: number, bound: number) => (bound === 0 ? value === 0 : (value - bound) / bound <= 0.02);
  const realTime = timeScale === 1;
  saveSection({
    bench: 'plex-to-trakt',
    title: 'Plex history: tautulli-in → match → sync-history to Trakt',
    conditions: `${plays} generated plays of ${groups} history rows, ${realTime ? "Trakt's real limits" : `time scale ${timeScale}`}`,
    measures: [
      { figure: 'plays read = synced + unmatched + not on Trakt', measured: `${first.items} = ${first.synced} + ${first.unmatched} + ${first.notFound}`, goal: 'nothing lost', met: first.items === first.synced + first.unmatched + first.notFound },
      { figure: 'plays on the tracker vs synced', measured: `${trakt.state.plays.length} vs ${first.synced}`, goal: 'equal, no duplicate', met: trakt.state.plays.length === first.synced },
      { figure: 'get_history pages vs ceil(rows/page)', measured: `${first.history} vs ${bounds.history} (+${pct(first.history, bounds.history)})`, goal: 'within 2 %', met: within(first.history, bounds.history) },
      { figure: 'get_metadata vs unique plex:// items', measured: `${first.metadata} vs ${bounds.metadata} (+${pct(first.metadata, bounds.metadata)})`, goal: 'within 2 %', met: within(first.metadata, bounds.metadata) },
      { figure: 'searches vs unique titles without ids', measured: `${first.searches} vs ${bounds.searches} (+${pct(first.searches, bounds.searches)})`, goal: 'within 2 %', met: within(first.searches, bounds.searches) },
      { figure: 'id look-ups', measured: String(first.lookups), goal: '0 (every id here is one Trakt matches)', met: first.lookups === 0 },
      { figure: 'writes vs ceil(plays/batch)', measured: `${writes} vs ${bounds.writes} (+${pct(writes, bounds.writes)})`, goal: 'within 2 %', met: within(writes, bounds.writes) },
      { figure: '429 responses', measured: String(trakt.state.count429), goal: '0', met: trakt.state.count429 === 0 },
      { figure: 'requests per play (all services)', measured: String(figures.requestsPerPlay), goal: '' },
      { figure: 'wall time (s)', measured: String(figures.seconds), goal: 'bounded by Trakt: 500 reads / 5 min, 1 write / s' },
      { figure: 'warm re-run: requests', measured: String(warmRequests), goal: '≤ 2', met: warmRequests <= 2 },
    ],
    figures,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
