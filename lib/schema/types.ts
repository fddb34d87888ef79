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
  rewatch?: boolean;
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
