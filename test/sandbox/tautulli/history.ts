// cmd=get_history: filter sittings, group them by reference_id, UNION the playing sessions, then
// search, order and slice like Tautulli's datatables (api-facts §3.2).
import { buildFilters, type Filterable, type Predicate } from './history-filters';
import { activityRow, historyRow, humanDuration, type ItemContext, type Row } from './history-rows';
import type { TautulliState } from './state';
import type { TautulliItem, TautulliSession } from './types';

// Only these are honoured; anything else silently falls back to the default order.
const ORDER_COLUMNS = ['date', 'friendly_name', 'ip_address', 'platform', 'product', 'player', 'full_title', 'started', 'paused_counter', 'stopped', 'duration', 'watched_status'];
const SEARCHABLE = ['friendly_name', 'ip_address', 'platform', 'product', 'player', 'full_title'];
const DEFAULT_LENGTH = 25;

/** helpers.bool_true with return_none: unparseable means "use the config default". */
function flag(v: string | null, fallback: boolean): boolean {
  if (v === null) return fallback;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return fallback;
}

function int(v: string | null, fallback: number): number {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) ? n : fallback;
}

function context(state: TautulliState, item: TautulliItem, userId: number): ItemContext {
  const get = (k: number | ''): TautulliItem | undefined => (k === '' ? undefined : state.items.get(k));
  return { item, season: get(item.parentRatingKey), show: get(item.grandparentRatingKey), user: state.users.find((u) => u.userId === userId) };
}

const passes = (predicates: Predicate[], r: Filterable): boolean => predicates.every((p) => p(r));

function compare(a: Row, b: Row, column: string): number {
  const x = a[column];
  const y = b[column];
  if (typeof x === 'string' || typeof y === 'string') return String(x ?? '').localeCompare(String(y ?? ''));
  // SQLite sorts NULL first.
  return (typeof x === 'number' ? x : -Infinity) - (typeof y === 'number' ? y : -Infinity);
}

interface Listing {
  rows: Row[];
  totalSeconds: number;
  filterSeconds: number;
}

// Clients page through one query; rebuilding tens of thousands of rows for every page would make
// the fake the bottleneck of a benchmark. The key changes whenever the history or activity does
// (appends via addPlays, or any change to the activity list).
const PAGING_PARAMS = new Set(['start', 'length', 'apikey', 'cmd', 'callback', 'out_type', 'draw']);
const cache = new WeakMap<TautulliState, { key: string; listing: Listing }>();

function cacheKey(state: TautulliState, params: URLSearchParams): string {
  const query = [...params].filter(([k]) => !PAGING_PARAMS.has(k)).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([query, state.rows.length, state.rows[state.rows.length - 1]?.id, state.items.size, state.activity, state.options.timezoneOffsetMinutes]);
}

export function getHistory(state: TautulliState, params: URLSearchParams): unknown {
  const key = cacheKey(state, params);
  let hit = cache.get(state);
  if (hit?.key !== key) cache.set(state, (hit = { key, listing: listing(state, params) }));
  const { rows, totalSeconds, filterSeconds } = hit.listing;
  const start = Math.max(0, int(params.get('start'), 0));
  const length = int(params.get('length'), DEFAULT_LENGTH);
  return {
    draw: 1,
    recordsTotal: state.rows.length,
    recordsFiltered: rows.length,
    total_duration: humanDuration(totalSeconds),
    filter_duration: humanDuration(filterSeconds),
    // Python slicing: length -1 drops the last row, like the real thing.
    data: rows.slice(start, start + length),
  };
}

function listing(state: TautulliState, params: URLSearchParams): Listing {
  const { predicates, byReference } = buildFilters(params, state.options.timezoneOffsetMinutes);
  const grouping = flag(params.get('grouping'), true);
  // A reference_id filter switches the UNION off (datafactory.get_datatables_history).
  const includeActivity = flag(params.get('include_activity'), true) && !byReference;

  const groups = new Map<number, TautulliSession[]>();
  let totalSeconds = 0;
  for (const s of state.rows) {
    const item = state.items.get(s.ratingKey);
    if (!item) continue;
    const r: Filterable = { user: s.user, userId: s.userId, started: s.started, referenceId: s.referenceId, transcodeDecision: s.device.transcodeDecision, item };
    if (!passes(predicates, r)) continue;
    totalSeconds += s.stopped - s.started - s.pausedCounter;
    const key = grouping ? s.referenceId : s.id;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }

  let rows: Row[] = [];
  for (const sittings of groups.values()) {
    const item = state.items.get(sittings[0].ratingKey) as TautulliItem;
    rows.push(historyRow(sittings, context(state, item, sittings[0].userId)));
  }
  if (includeActivity) {
    const now = Math.floor(Date.now() / 1000);
    for (const a of state.activity) {
      const item = state.items.get(a.ratingKey);
      if (!item) continue;
      const r: Filterable = { user: a.user, userId: a.userId, started: a.started, referenceId: null, transcodeDecision: a.device.transcodeDecision, item };
      if (passes(predicates, r)) rows.push(activityRow(a, context(state, item, a.userId), now));
    }
  }

  const search = (params.get('search') ?? '').trim().toLowerCase();
  if (search) rows = rows.filter((row) => SEARCHABLE.some((c) => String(row[c] ?? '').toLowerCase().includes(search)));

  const requested = params.get('order_column') ?? '';
  const column = ORDER_COLUMNS.includes(requested) ? requested : 'date';
  const sign = (params.get('order_dir') ?? 'desc').toLowerCase() === 'asc' ? 1 : -1;
  // Ties keep a stable order by row id (playing sessions, without one, count as newest).
  const idOf = (row: Row): number => (typeof row.row_id === 'number' ? row.row_id : Infinity);
  rows.sort((a, b) => sign * (compare(a, b, column) || idOf(a) - idOf(b)));
  return { rows, totalSeconds, filterSeconds: rows.reduce((sum, row) => sum + Number(row.play_duration), 0) };
}
