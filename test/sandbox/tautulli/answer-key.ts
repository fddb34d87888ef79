// The answer key follows from session_history alone: one entry per group (reference_id), watched
// when the group's furthest position passes the threshold, timed at the group's last stop.
import { isWatched } from './watched';
import type { ExpectedPlay, TautulliItem, TautulliSession } from './types';

export const minuteIso = (unixSeconds: number): string => new Date(Math.floor(unixSeconds / 60) * 60_000).toISOString();

export function answerKey(items: Map<number, TautulliItem>, sessions: TautulliSession[]): ExpectedPlay[] {
  const groups = new Map<number, { first: TautulliSession; offset: number; stopped: number }>();
  for (const s of sessions) {
    const g = groups.get(s.referenceId);
    if (!g) groups.set(s.referenceId, { first: s, offset: s.viewOffsetMs, stopped: s.stopped });
    else {
      g.offset = Math.max(g.offset, s.viewOffsetMs);
      g.stopped = Math.max(g.stopped, s.stopped);
    }
  }
  const expected: ExpectedPlay[] = [];
  for (const [ref, g] of groups) {
    const item = items.get(g.first.ratingKey);
    const trakt = item?.trakt && item.trakt.type !== 'show' ? item.trakt : null;
    expected.push({
      ref: String(ref),
      user: g.first.user,
      watched: item !== undefined && isWatched(g.offset, item.durationMs),
      traktType: trakt ? (trakt.type as 'movie' | 'episode') : null,
      traktId: trakt ? trakt.id : null,
      watchedAt: minuteIso(g.stopped),
    });
  }
  return expected.sort((a, b) => Number(a.ref) - Number(b.ref));
}
