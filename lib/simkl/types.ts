/** Simkl API shapes used by clawarr (api-facts.md §2). Simkl often sends numeric ids as strings. */
export type SimklIdValue = string | number | null | undefined;

export interface SimklIds {
  simkl?: SimklIdValue;
  /** Text search answers carry the Simkl id under this name instead (api-facts §2.4). */
  simkl_id?: SimklIdValue;
  slug?: SimklIdValue;
  imdb?: SimklIdValue;
  tmdb?: SimklIdValue;
  tvdb?: SimklIdValue;
  mal?: SimklIdValue;
  anidb?: SimklIdValue;
  [other: string]: SimklIdValue;
}

/** The error envelope: branch on `error`, never on `message` (SIMKL-DOCS conventions/errors). */
export interface SimklErrorEnvelope {
  error?: string;
  code?: number;
  message?: string;
}

export interface SimklTokenResponse {
  access_token: string;
  token_type?: string;
  scope?: string;
  /** New docs advertise 5 years; V1 tokens do not expire in practice. */
  expires_in?: number;
  /** Not sent by V1; Simkl's announced V2 flow adds it. */
  refresh_token?: string;
  created_at?: number;
}

export interface SimklPinCode {
  result?: string;
  device_code: string;
  user_code: string;
  verification_url?: string;
  verification_uri?: string;
  expires_in: number;
  interval: number;
}

export interface SimklPinPoll {
  result?: 'OK' | 'KO' | string;
  message?: string;
  access_token?: string;
  /** Present only in a fresh init answer: the code polled is gone. */
  device_code?: string;
  user_code?: string;
}

export interface SimklSettings {
  user?: { name?: string };
  account?: { id?: number | string; timezone?: string; type?: string };
}

export interface SimklEpisodeObject {
  number: number;
  watched_at?: string;
}

export interface SimklSyncObject {
  title?: string;
  year?: number;
  ids?: SimklIds;
  watched_at?: string;
  seasons?: Array<{ number: number; episodes: SimklEpisodeObject[] }>;
  /** Anime numbered as on TVDB (seasons) rather than AniDB (one long season). */
  use_tvdb_anime_seasons?: boolean;
}

export interface SimklHistoryBody {
  movies: SimklSyncObject[];
  shows: SimklSyncObject[];
  anime: SimklSyncObject[];
  episodes: SimklSyncObject[];
}

export interface SimklAddHistoryResponse {
  added?: { movies?: number; shows?: number; episodes?: number };
  not_found?: { movies?: SimklSyncObject[]; shows?: SimklSyncObject[]; anime?: SimklSyncObject[]; episodes?: SimklSyncObject[] };
}

/** One category of GET /sync/activities: ISO timestamps, each may be null. */
export type SimklActivityGroup = Record<string, string | null | undefined>;

export interface SimklActivities {
  all?: string | null;
  movies?: SimklActivityGroup | null;
  tv_shows?: SimklActivityGroup | null;
  anime?: SimklActivityGroup | null;
}

export interface SimklMedia {
  title?: string;
  year?: number | string | null;
  ids?: SimklIds;
}

export interface SimklWatchedSeason {
  number?: number;
  episodes?: Array<{ number?: number; watched_at?: string | null }>;
}

/** A row of GET /sync/all-items/{type}. */
export interface SimklListRow {
  last_watched_at?: string | null;
  /** The last episode watched, "S01E05" (anime: "E148"). */
  last_watched?: string | null;
  status?: string;
  movie?: SimklMedia;
  show?: SimklMedia & { seasons?: SimklWatchedSeason[] };
  seasons?: SimklWatchedSeason[];
  episodes?: Array<{ number?: number; watched_at?: string | null }>;
}

export interface SimklAllItems {
  movies?: SimklListRow[];
  shows?: SimklListRow[];
  anime?: SimklListRow[];
}

export interface SimklSearchRow extends SimklMedia {
  /** /search/id: movie | tv | anime. */
  type?: string;
  /** /search/{type}: movies | tv | anime. */
  endpoint_type?: string;
}

export interface SimklScrobbleResponse {
  id?: number;
  action?: string;
  progress?: number;
  movie?: SimklMedia;
  show?: SimklMedia;
  anime?: SimklMedia;
  episode?: { season?: number; number?: number; title?: string };
  /** Check-ins may say when the play counts and when the check-in ends. */
  watched_at?: string;
  expires_at?: string;
}
