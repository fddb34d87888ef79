// Deterministic Tautulli history built from the Trakt sandbox catalog (so ids agree), with the
// answer key a correct tautulli-in → match → sync-history run must reproduce on the fake Trakt.
import type { Catalog } from '../trakt/types';
import { answerKey, minuteIso } from './answer-key';
import { HistoryWriter, type SittingInput } from './history-writer';
import { LibraryBuilder } from './library-items';
import { ItemPicker, schedule } from './library-mix';
import { makeUsers } from './library-users';
import { Prng } from './prng';
import type { GuidKind, TautulliActivity, TautulliItem, TautulliLibrary, TautulliUser } from './types';

export interface TautulliLibraryOptions {
  /** Watched plays (groups with watched_status 1); unwatched sittings come on top. */
  plays: number;
  users?: string[];
  seed?: number;
  /** First play; keep start + plays in the past (about 45 plays per user per week). */
  start?: string;
}

const DEFAULT_USERS = ['alice', 'bob', 'carol'];
const DEFAULT_START = '2015-01-01T00:00:00.000Z';

interface Pending extends SittingInput {
  order: number;
}

/** Where playback is, as a fraction; the threshold is 85 %, so watched plays end at 88-100 %. */
function sittingOf(user: TautulliUser, item: TautulliItem, started: number, fromPct: number, toPct: number, paused: number): SittingInput {
  const elapsed = Math.round(((toPct - fromPct) / 100) * (item.durationMs / 1000)) + paused;
  return { ratingKey: item.ratingKey, user: user.username, started, stopped: started + elapsed, viewOffsetMs: Math.round((toPct / 100) * item.durationMs), pausedCounter: paused };
}

export function generateTautulliLibrary(catalog: Catalog, options: TautulliLibraryOptions): TautulliLibrary {
  const prng = new Prng(options.seed ?? 1);
  const start = Math.floor(Date.parse(options.start ?? DEFAULT_START) / 1000);
  const users = makeUsers(options.users ?? DEFAULT_USERS);
  const builder = new LibraryBuilder(start - 90 * 86400);
  const picker = new ItemPicker(catalog, prng, builder);
  const cursors = users.map(() => start);
  const pending: Pending[] = [];
  // Trakt keeps one play per item and minute: two users finishing the same thing in the same
  // minute would collapse there, so the generator never lets that happen.
  const traktMinutes = new Set<string>();
  const paused = (): number => (prng.chance(0.2) ? prng.int(20, 900) : 0);
  const gap = (): number => prng.int(2, 60) * 60 + (prng.chance(0.05) ? prng.int(6, 30) * 3600 : 0);

  for (const slot of schedule(options.plays, prng)) {
    const u = prng.int(0, users.length - 1);
    const user = users[u];
    const sittings: SittingInput[] = [];
    // Some sittings are abandoned early: rows that are not plays (watched_status < 1).
    if (slot.kind !== 'unmatched' && prng.chance(0.1)) {
      const s = sittingOf(user, picker.pick(slot), cursors[u] + gap(), 0, prng.int(3, 80), paused());
      sittings.push(s);
      cursors[u] = s.stopped;
    }
    const item = picker.pick(slot);
    let at = cursors[u] + gap();
    let from = 0;
    // Some plays are watched in two sittings, which grouping merges into one row.
    if (prng.chance(0.15)) {
      const first = sittingOf(user, item, at, 0, prng.int(15, 80), paused());
      sittings.push(first);
      from = (first.viewOffsetMs / item.durationMs) * 100;
      at = first.stopped + prng.int(5, 600) * 60;
    }
    let last = sittingOf(user, item, at, from, prng.int(88, 100), paused());
    while (item.trakt && traktMinutes.has(`${item.trakt.type}:${item.trakt.id}@${minuteIso(last.stopped)}`)) {
      last = { ...last, started: last.started + 60, stopped: last.stopped + 60 };
    }
    if (item.trakt) traktMinutes.add(`${item.trakt.type}:${item.trakt.id}@${minuteIso(last.stopped)}`);
    sittings.push(last);
    cursors[u] = last.stopped;
    for (const s of sittings) pending.push({ ...s, order: pending.length });
  }

  // Tautulli writes a sitting when it stops, so ids follow stop times across users.
  pending.sort((a, b) => a.stopped - b.stopped || a.order - b.order);
  const items = new Map(builder.items.map((i) => [i.ratingKey, i]));
  const writer = new HistoryWriter([], items, users);
  for (const { order: _order, ...s } of pending) writer.append(s);

  const activity = playing(users, cursors, picker, prng);
  return {
    users,
    items: builder.items,
    sessions: writer.sessions,
    activity,
    expected: answerKey(items, writer.sessions),
  };
}

/** Two sessions still playing after the history ends: the rows include_activity=0 leaves out. */
function playing(users: TautulliUser[], cursors: number[], picker: ItemPicker, prng: Prng): TautulliActivity[] {
  return users.slice(0, 2).map((user, i) => {
    const item = picker.pick({ kind: 'plex', media: i === 0 ? 'movie' : 'episode', weight: 0 });
    return {
      sessionKey: 101 + i,
      ratingKey: item.ratingKey,
      userId: user.userId,
      user: user.username,
      started: cursors[i] + 600,
      pausedCounter: 0,
      viewOffsetMs: Math.round(item.durationMs * (0.2 + 0.4 * prng.next())),
      state: i === 0 ? 'playing' : 'paused',
      device: user.devices[0],
    };
  });
}

export interface LibraryStats {
  sittings: number;
  /** Grouped rows (grouping=1, without activity). */
  groups: number;
  watched: number;
  /** Watched plays no tracker can match. */
  unmatched: number;
  /** Watched plays per guid kind. */
  byGuidKind: Record<GuidKind, number>;
  /** Distinct rating keys in the history (get_metadata calls a caching client needs at most). */
  uniqueRatingKeys: number;
  /** Distinct played items whose guid holds no id Trakt can look up (local, none, hama-anidb). */
  itemsWithoutIds: number;
}

const KINDS: GuidKind[] = ['plex', 'imdb', 'themoviedb', 'thetvdb', 'thetvdbdvdorder', 'hama-anidb', 'hama-tvdb', 'xbmcnfo', 'local', 'none'];
const ID_LESS = new Set<GuidKind>(['local', 'none', 'hama-anidb']);

export function libraryStats(library: TautulliLibrary): LibraryStats {
  const items = new Map(library.items.map((i) => [i.ratingKey, i]));
  const byId = new Map(library.sessions.map((s) => [s.id, s]));
  const byGuidKind = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<GuidKind, number>;
  const watched = library.expected.filter((e) => e.watched);
  for (const e of watched) {
    const item = items.get(byId.get(Number(e.ref))?.ratingKey ?? -1);
    if (item) byGuidKind[item.guidKind]++;
  }
  const keys = new Set(library.sessions.map((s) => s.ratingKey));
  return {
    sittings: library.sessions.length,
    groups: library.expected.length,
    watched: watched.length,
    unmatched: watched.filter((e) => e.traktId === null).length,
    byGuidKind,
    uniqueRatingKeys: keys.size,
    itemsWithoutIds: [...keys].filter((k) => ID_LESS.has(items.get(k)?.guidKind ?? 'plex')).length,
  };
}
