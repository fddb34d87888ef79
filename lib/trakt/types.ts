/** Trakt API v2 shapes used by clawarr (api-facts.md §1). */
export interface TraktIds {
  trakt?: number | null;
  slug?: string | null;
  imdb?: string | null;
  tmdb?: number | null;
  tvdb?: number | null;
}

export interface TraktTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope: string;
  created_at: number;
}

export interface TraktDeviceCode {
  device_code: string;
  user_code: string;
  verification_url: string;
  expires_in: number;
  interval: number;
}

export interface TraktSettings {
  user: { username: string; ids?: { slug?: string } };
}

export interface TraktHistoryRow {
  id: number;
  watched_at: string;
  action: string;
  type: 'movie' | 'episode';
  movie?: { title?: string; year?: number; ids: TraktIds };
  episode?: { season: number; number: number; title?: string; ids: TraktIds };
  show?: { title?: string; year?: number; ids: TraktIds };
}

export interface TraktSyncObject {
  title?: string;
  year?: number;
  ids?: TraktIds;
  watched_at?: string;
  seasons?: Array<{ number: number; episodes: Array<{ number: number; watched_at?: string }> }>;
}

export interface TraktHistoryBody {
  movies: TraktSyncObject[];
  shows: TraktSyncObject[];
  episodes: TraktSyncObject[];
}

export interface TraktAddHistoryResponse {
  added?: { movies?: number; episodes?: number };
  not_found?: {
    movies?: TraktSyncObject[];
    shows?: TraktSyncObject[];
    seasons?: TraktSyncObject[];
    episodes?: TraktSyncObject[];
  };
}

export interface TraktRemoveHistoryResponse {
  deleted?: { movies?: number; episodes?: number };
  not_found?: {
    movies?: TraktSyncObject[];
    shows?: TraktSyncObject[];
    seasons?: TraktSyncObject[];
    episodes?: TraktSyncObject[];
    ids?: number[];
  };
}
