import type { MediaIds, MediaItem, MediaSource } from '../schema/types';
import { idsFromGuidList, parseGuid } from './guids';
import type { TautulliHistoryRow, TautulliMetadata } from './types';
import { compact, isoFromUnix, toId, toIndex, toText, toYear } from './values';

/** The ids mapping reads from get_metadata; a cached entry carries only these. */
export type RowMetadata = Pick<TautulliMetadata, 'guids' | 'grandparent_guids' | 'grandparent_year'>;

/** "row 5312", for reasons a user can look up in Tautulli's history. */
export function rowLabel(row: TautulliHistoryRow): string {
  return `row ${row.row_id ?? row.id ?? row.reference_id ?? '?'}`;
}

/**
 * One get_history row as a play. Ids come from a legacy guid, or for plex:// items from
 * get_metadata; without either, title and year stay so match can search. A row that cannot be a
 * play gives a reason instead (it goes to the error output, never dropped silently).
 */
export function rowToItem(row: TautulliHistoryRow, metadata?: RowMetadata): MediaItem | { error: string } {
  const label = rowLabel(row);
  if (row.media_type !== 'movie' && row.media_type !== 'episode') {
    return { error: `${label}: media type "${String(row.media_type ?? '')}" is not a movie or an episode` };
  }
  const stopped = toId(row.stopped);
  if (stopped === undefined) return { error: `${label}: no stopped time` };
  const watchedAt = isoFromUnix(stopped);
  const guid = parseGuid(row.guid);
  const source = sourceOf(row);

  if (row.media_type === 'movie') {
    const title = toText(row.title) ?? toText(row.full_title);
    if (!title) return { error: `${label}: no title` };
    const ids = mergeIds(guid.ids, idsFromGuidList(metadata?.guids));
    return compact<MediaItem>({ type: 'movie', title, year: toYear(row.year), ids: nonEmpty(ids), watchedAt, source });
  }

  // The row's numbers are Plex's; a legacy guid repeats them (SERIES/SEASON/EPISODE) as a fallback.
  const season = toIndex(row.parent_media_index) ?? guid.season;
  const episode = toIndex(row.media_index) ?? guid.episode;
  if (season === undefined) return { error: `${label}: no season number` };
  if (episode === undefined) return { error: `${label}: no episode number` };
  const showTitle = toText(row.grandparent_title);
  const showIds = mergeIds(guid.show?.ids ?? {}, idsFromGuidList(metadata?.grandparent_guids));
  if (!showTitle && !nonEmpty(showIds)) return { error: `${label}: no show title` };
  const show = compact({ title: showTitle, year: toYear(metadata?.grandparent_year), ids: nonEmpty(showIds) });
  const ids = mergeIds(guid.ids, idsFromGuidList(metadata?.guids));
  // No item year: the row's year is the episode's air year, which would mislead a show search.
  return compact<MediaItem>({ type: 'episode', title: toText(row.title), season, episode, show, ids: nonEmpty(ids), watchedAt, source });
}

export function isRejection(result: MediaItem | { error: string }): result is { error: string } {
  return typeof (result as { error?: unknown }).error === 'string';
}

function sourceOf(row: TautulliHistoryRow): MediaSource {
  // reference_id names the whole (grouped) play, so one play keeps one ref however it is grouped.
  const ref = row.reference_id ?? row.id ?? row.row_id;
  return compact({ kind: 'tautulli', ref: ref === null || ref === undefined ? undefined : String(ref), user: toText(row.user) });
}

/** `first` wins; `second` fills gaps. */
export function mergeIds(first: MediaIds, second: MediaIds): MediaIds {
  return { ...second, ...first };
}

export function nonEmpty(ids: MediaIds): MediaIds | undefined {
  return Object.keys(ids).length ? ids : undefined;
}
