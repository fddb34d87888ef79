import type { MediaIds, MediaItem } from '../schema/types';
import { rowToItem, traktIds } from './mapping';
import type { TraktHistoryRow, TraktIds } from './types';

/** Trakt sends unknown titles and years as null. */
export interface TraktMedia {
  title?: string | null;
  year?: number | null;
  ids?: TraktIds;
}

export interface TraktEpisode {
  season?: number;
  number?: number;
  title?: string | null;
  ids?: TraktIds;
}

/** The union of the row shapes of the account lists, discovery and calendars (api-facts §1.9). */
export interface TraktRow {
  id?: number;
  type?: string;
  movie?: TraktMedia;
  show?: TraktMedia;
  episode?: TraktEpisode;
  rating?: number;
  rated_at?: string;
  listed_at?: string;
  collected_at?: string;
  seasons?: Array<{ number: number; episodes?: Array<{ number: number; collected_at?: string }> }>;
}

export interface TraktWatching {
  started_at?: string;
  expires_at?: string;
  action?: string;
  type?: string;
  movie?: TraktMedia;
  show?: TraktMedia;
  episode?: TraktEpisode;
}

const source = (list: string, ref?: number): MediaItem['source'] => (ref === undefined ? { kind: 'trakt', list } : { kind: 'trakt', ref: String(ref), list });

export function movieItem(movie: TraktMedia): MediaItem {
  return { type: 'movie', ...titled(movie), ids: idsOf(movie.ids) };
}

export function showItem(show: TraktMedia): MediaItem {
  return { type: 'show', ...titled(show), ids: idsOf(show.ids) };
}

export function episodeItem(episode: TraktEpisode, show: TraktMedia | undefined): MediaItem {
  const item: MediaItem = { type: 'episode' };
  if (typeof episode.title === 'string') item.title = episode.title;
  item.season = episode.season ?? 0;
  item.episode = episode.number ?? 0;
  item.ids = idsOf(episode.ids);
  item.show = { ...titled(show ?? {}), ids: idsOf(show?.ids) };
  return item;
}

/** The media of a row by its `type`, or by which object it carries when it has none. */
export function rowMedia(row: TraktRow): MediaItem | undefined {
  const type = row.type ?? (row.episode ? 'episode' : row.movie ? 'movie' : row.show ? 'show' : undefined);
  if (type === 'movie' && row.movie) return movieItem(row.movie);
  if (type === 'show' && row.show) return showItem(row.show);
  if (type === 'episode' && row.episode) return episodeItem(row.episode, row.show);
  // Seasons (ratings, watchlist) have no media item shape: dropped.
  return undefined;
}

export function historyItem(row: TraktHistoryRow): MediaItem {
  return { ...rowToItem(row), source: source('history', row.id) };
}

export function ratingItem(row: TraktRow): MediaItem[] {
  const item = rowMedia(row);
  if (!item) return [];
  if (typeof row.rating === 'number') item.rating = row.rating;
  if (row.rated_at) item.ratedAt = row.rated_at;
  item.source = source('ratings');
  return [item];
}

export function watchlistItem(row: TraktRow): MediaItem[] {
  const item = rowMedia(row);
  if (!item) return [];
  if (row.listed_at) item.listedAt = row.listed_at;
  // The row id is the list entry's, stable while the item stays listed.
  item.source = source('watchlist', row.id);
  return [item];
}

/** Collection movies are rows; collected shows come as seasons of episodes, emitted one by one. */
export function collectionItems(row: TraktRow): MediaItem[] {
  if (row.movie) {
    const item = movieItem(row.movie);
    if (row.collected_at) item.collectedAt = row.collected_at;
    item.source = source('collection');
    return [item];
  }
  if (!row.show) return [];
  return (row.seasons ?? []).flatMap((season) =>
    (season.episodes ?? []).map((episode) => {
      const item = episodeItem({ season: season.number, number: episode.number }, row.show);
      // Collection episodes carry no ids of their own: the show and numbers identify them.
      delete item.ids;
      if (episode.collected_at) item.collectedAt = episode.collected_at;
      item.source = source('collection');
      return item;
    }),
  );
}

/** Trending rows wrap the media ({watchers, movie}); popular and recommendations are the media itself. */
export function discoveryItem(row: TraktRow & TraktMedia, type: 'movie' | 'show', list: string): MediaItem[] {
  const media = type === 'movie' ? (row.movie ?? row) : (row.show ?? row);
  if (!media.ids) return [];
  const item = type === 'movie' ? movieItem(media) : showItem(media);
  item.source = source(list);
  return [item];
}

/** Calendar rows: {released, movie} or {first_aired, episode, show}; no play, so no watchedAt. */
export function calendarItem(row: TraktRow): MediaItem[] {
  const item = row.episode ? episodeItem(row.episode, row.show) : row.movie ? movieItem(row.movie) : undefined;
  if (!item) return [];
  item.source = source('calendar');
  return [item];
}

/**
 * What is playing now, as a playback-like item. Trakt gives no progress, but started_at and
 * expires_at span the runtime, so the share of it elapsed is the progress.
 */
export function watchingItem(data: TraktWatching, now: number): MediaItem | undefined {
  const item = rowMedia({ type: data.type, movie: data.movie, show: data.show, episode: data.episode });
  if (!item) return undefined;
  item.action = 'start';
  const started = Date.parse(data.started_at ?? '');
  const expires = Date.parse(data.expires_at ?? '');
  if (expires > started) item.progress = Math.round(Math.min(100, Math.max(0, ((now - started) / (expires - started)) * 100)) * 100) / 100;
  item.source = source('watching');
  return item;
}

/** The time a list row changed, for the high-water mark. */
export function stampOf(item: MediaItem): string | undefined {
  return item.watchedAt ?? item.ratedAt ?? item.listedAt ?? item.collectedAt;
}

function titled(media: TraktMedia): { title?: string; year?: number } {
  const out: { title?: string; year?: number } = {};
  if (typeof media.title === 'string') out.title = media.title;
  if (typeof media.year === 'number') out.year = media.year;
  return out;
}

/** Only the id kinds Trakt has, without its nulls and empty strings. */
function idsOf(ids: TraktIds | undefined): MediaIds {
  return (traktIds(ids as MediaIds | undefined) ?? {}) as MediaIds;
}
