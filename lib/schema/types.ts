/** The media item of flow-contract.md: what every clawarr node passes in msg.payload. */
export type MediaType = 'movie' | 'episode' | 'show';

export const ID_KEYS = ['trakt', 'slug', 'imdb', 'tmdb', 'tvdb', 'simkl', 'mal', 'anidb', 'letterboxd', 'plex'] as const;
export type IdKey = (typeof ID_KEYS)[number];

export interface MediaIds {
  trakt?: number;
  slug?: string;
  imdb?: string;
  tmdb?: number;
  tvdb?: number;
  simkl?: number;
  mal?: number;
  anidb?: number;
  letterboxd?: string;
  plex?: string;
}

export interface ShowRef {
  title?: string;
  year?: number;
  ids?: MediaIds;
}

export interface MediaSource {
  kind?: string;
  ref?: string;
  user?: string;
  /** Which list of the source it came from: diary, watched, ratings, watchlist, likes, reviews, lists/<name>, history … */
  list?: string;
}

export interface MediaItem {
  type: MediaType;
  title?: string;
  year?: number;
  ids?: MediaIds;
  season?: number;
  episode?: number;
  show?: ShowRef;
  watchedAt?: string;
  rating?: number;
  /** When the rating was given (ISO 8601 UTC). */
  ratedAt?: string;
  /** When the item was added to a watchlist or list (ISO 8601 UTC). */
  listedAt?: string;
  /** When the item was added to a collection (ISO 8601 UTC). */
  collectedAt?: string;
  rewatch?: boolean;
  /** Tags from the source (Letterboxd tags). */
  tags?: string[];
  /** A review or note from the source. */
  review?: string;
  action?: 'start' | 'pause' | 'stop';
  progress?: number;
  source?: MediaSource;
}

export interface EpisodeItem extends MediaItem {
  type: 'episode';
  season: number;
  episode: number;
  show: ShowRef;
}
