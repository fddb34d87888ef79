import { ClawarrError } from '../core/errors';
import type { ReadKind, ReadOptions } from '../provider';
import { READ_MARGIN_MS, type SimklList } from './history-read';
import type { SimklActivities } from './types';

export type SimklReadKind = 'history' | 'ratings' | 'watchlist';

/** Simkl has no collection, no "now watching" of a user, and no stats or lists of its own to read here. */
export const SIMKL_READ_KINDS: readonly SimklReadKind[] = ['history', 'ratings', 'watchlist'];

export function isSimklReadKind(kind: ReadKind): kind is SimklReadKind {
  return (SIMKL_READ_KINDS as readonly string[]).includes(kind);
}

/**
 * The activity fields each read depends on (SIMKL-DOCS get-activities): plays move the status a
 * title lands in, a rating `rated_at`, the watchlist `plantowatch`. Other changes do not open it.
 */
const FIELDS: Record<SimklReadKind, readonly string[]> = {
  history: ['watching', 'completed', 'hold', 'dropped'],
  ratings: ['rated_at'],
  watchlist: ['plantowatch'],
};

const GROUP = { movies: 'movies', shows: 'tv_shows', anime: 'anime' } as const;

/** The Simkl lists behind the types asked for: shows are both `shows` and `anime` there. */
export function listsOf(types: ReadOptions['types']): SimklList[] {
  const wanted = types?.length ? types : ['movies', 'shows'];
  return (['movies', 'shows', 'anime'] as const).filter((list) => wanted.includes(list === 'movies' ? 'movies' : 'shows'));
}

/**
 * When a list last changed for this read (ms). null: Simkl says never. undefined: it does not say
 * (group or fields left out, or an unreadable time), which is read rather than taken as unchanged.
 */
export function changedAt(activities: SimklActivities, list: SimklList, kind: SimklReadKind): number | null | undefined {
  const group = activities[GROUP[list]];
  if (group === null) return null;
  if (group === undefined) return undefined;
  let fields = FIELDS[kind].filter((field) => field in group);
  if (!fields.length) fields = 'all' in group ? ['all'] : [];
  if (!fields.length) return undefined;
  let latest: number | null = null;
  for (const field of fields) {
    const value = group[field];
    if (value === null || value === undefined) continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return undefined;
    latest = latest === null ? ms : Math.max(latest, ms);
  }
  return latest;
}

/** Which lists a read opens, what it sends as date_from, and which items it keeps. */
export interface ReadBound {
  /** Absent only for the first read of a list (Simkl's documented initial full sync). */
  dateFrom?: string;
  opens(at: number | null | undefined): boolean;
  /** Plays kept (history): watched in [keepFrom, keepTo] (ms). */
  keepFrom: number;
  keepTo: number;
  /** A `from` window is not "what changed since", so it moves no high-water mark. */
  movesMark: boolean;
}

export interface ReadWindow {
  sinceMs?: number;
  fromMs?: number;
  toMs?: number;
}

export function windowOf(options: ReadOptions): ReadWindow {
  const parse = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined || value === '') return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new ClawarrError(`cannot read Simkl ${name} "${value}": not a date`, 'bad_request');
    return ms;
  };
  return { sinceMs: parse('since', options.since), fromMs: parse('from', options.from), toMs: parse('to', options.to) };
}

/**
 * A `from` window reads lists that moved since then (less the margin history reads use); `since`
 * (or the reader's own mark) those that moved after it, sending it as date_from as Simkl's sync
 * guide says; with neither, the first read of a list, the one Simkl allows without date_from.
 */
export function boundFor(window: ReadWindow, mark: number | undefined): ReadBound {
  const keepTo = window.toMs ?? Infinity;
  if (window.fromMs !== undefined) {
    const reach = window.fromMs - READ_MARGIN_MS;
    return { dateFrom: new Date(reach).toISOString(), opens: (at) => at === undefined || (at !== null && at >= reach), keepFrom: window.fromMs, keepTo, movesMark: false };
  }
  const lower = window.sinceMs ?? mark;
  if (lower !== undefined) {
    // Plays are kept to the minute, so one recorded just after `since` may carry an earlier second of its minute.
    const keepFrom = Math.floor(lower / 60_000) * 60_000;
    return { dateFrom: new Date(lower).toISOString(), opens: (at) => at === undefined || (at !== null && at > lower), keepFrom, keepTo, movesMark: true };
  }
  return { opens: (at) => at !== null, keepFrom: -Infinity, keepTo, movesMark: true };
}
