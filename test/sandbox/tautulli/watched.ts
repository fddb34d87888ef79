// Tautulli's watched verdict (helpers.check_watched with default settings, api-facts §3.2).

/** MOVIE_WATCHED_PERCENT / TV_WATCHED_PERCENT defaults. */
export const WATCHED_PERCENT = 85;

export const percentOf = (viewOffsetMs: number, durationMs: number): number => (durationMs > 0 ? (viewOffsetMs / durationMs) * 100 : 0);

export const isWatched = (viewOffsetMs: number, durationMs: number): boolean => percentOf(viewOffsetMs, durationMs) >= WATCHED_PERCENT;

/** 1 when watched, else the quarter of the threshold reached: 0, 0.25, 0.5 or 0.75. */
export function watchedStatus(viewOffsetMs: number, durationMs: number): number {
  if (isWatched(viewOffsetMs, durationMs)) return 1;
  const quarter = WATCHED_PERCENT / 4;
  return Math.min(3, Math.floor(percentOf(viewOffsetMs, durationMs) / quarter)) / 4;
}
