// GET /sync/activities bookkeeping (api-facts §2.6). Simkl prints whole seconds ("...:38Z"), so two
// changes within one second share a timestamp there too.
export type ActivityGroup = 'tv_shows' | 'anime' | 'movies';
export type ActivityField = 'all' | 'rated_at' | 'playback' | 'plantowatch' | 'watching' | 'completed' | 'hold' | 'dropped' | 'removed_from_list';

export interface SimklActivities {
  all: string;
  settings: { all: string };
  tv_shows: Partial<Record<ActivityField, string | null>>;
  anime: Partial<Record<ActivityField, string | null>>;
  movies: Partial<Record<ActivityField, string | null>>;
}

// Fixed so a fresh sandbox is deterministic; any library change moves the affected fields to "now".
const INITIAL = '2020-01-01T00:00:00Z';
const SHOW_FIELDS: ActivityField[] = ['all', 'rated_at', 'playback', 'plantowatch', 'watching', 'completed', 'hold', 'dropped', 'removed_from_list'];
// Movies have no watching/hold lists on Simkl.
const MOVIE_FIELDS: ActivityField[] = ['all', 'rated_at', 'playback', 'plantowatch', 'completed', 'dropped', 'removed_from_list'];

export const simklTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const group = (fields: ActivityField[]): Partial<Record<ActivityField, string>> => Object.fromEntries(fields.map((f) => [f, INITIAL]));

export function initialActivities(): SimklActivities {
  return { all: INITIAL, settings: { all: INITIAL }, tv_shows: group(SHOW_FIELDS), anime: group(SHOW_FIELDS), movies: group(MOVIE_FIELDS) };
}

/** Moves one field of a group, the group's `all` and the top-level `all` to now. */
export function touchActivity(a: SimklActivities, g: ActivityGroup, field: ActivityField, now = Date.now()): void {
  const t = simklTime(now);
  if (field in a[g]) a[g][field] = t;
  a[g].all = t;
  a.all = t;
}
