// watched_at semantics of POST /sync/history: missing = now, "unknown" = epoch, "released" =
// the release date; Trakt stores minute precision.
import type { Leaf } from './sync-resolve';

const MINUTE = 60_000;
const DAY = 86_400_000;

const toMinute = (ms: number): string => new Date(Math.floor(ms / MINUTE) * MINUTE).toISOString();

function releaseDate(leaf: Leaf): number {
  if (leaf.type === 'movie') return Date.UTC(leaf.movie.year, 0, 1);
  // Stable per episode: weekly episodes, one season per year from the show's premiere.
  const { show, season, episode } = leaf.ref;
  return Date.UTC(show.year + season.number - 1, 0, 1) + (episode.number - 1) * 7 * DAY;
}

/** Returns the stored ISO string, or undefined when the value cannot be a date. */
export function storedWatchedAt(leaf: Leaf, now: number): string | undefined {
  const raw = leaf.when;
  if (raw === undefined || raw === null) return toMinute(now);
  if (raw === 'unknown') return new Date(0).toISOString();
  if (raw === 'released') return toMinute(releaseDate(leaf));
  if (typeof raw !== 'string') return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : toMinute(ms);
}
