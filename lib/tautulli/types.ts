/** Tautulli API v2 shapes used by clawarr (api-facts.md §3). Numbers may arrive as "" or strings. */
export interface TautulliEnvelope<T> {
  response: { result: 'success' | 'error'; message: string | null; data: T };
}

export interface TautulliHistoryRow {
  reference_id: number | null;
  row_id: number | null;
  id: number | null;
  date: number;
  started: number;
  stopped: number;
  duration: number;
  play_duration?: number;
  paused_counter?: number;
  user_id: number;
  user: string;
  friendly_name?: string;
  media_type: 'movie' | 'episode' | 'track' | 'live' | string;
  rating_key: number | string;
  parent_rating_key: number | string;
  grandparent_rating_key: number | string;
  full_title: string;
  title: string;
  parent_title: string;
  grandparent_title: string;
  original_title?: string;
  year: number | string;
  media_index: number | string;
  parent_media_index: number | string;
  originally_available_at?: string;
  guid: string;
  percent_complete: number;
  watched_status: number;
  group_count: number | null;
  group_ids: string | null;
  state?: string | null;
  session_key?: string | null;
}

export interface TautulliHistoryData {
  draw: number;
  recordsTotal: number;
  recordsFiltered: number;
  data: TautulliHistoryRow[];
}

export interface TautulliMetadata {
  media_type?: string;
  rating_key?: string;
  title?: string;
  grandparent_title?: string;
  year?: string;
  grandparent_year?: string;
  media_index?: string;
  parent_media_index?: string;
  guid?: string;
  guids?: string[];
  grandparent_guid?: string;
  grandparent_guids?: string[];
}

/** Query of cmd=get_history that clawarr sends (explicit order, activity excluded). */
export interface HistoryQuery {
  start: number;
  length: number;
  order_column: 'stopped' | 'date' | 'started';
  order_dir: 'asc' | 'desc';
  grouping: 0 | 1;
  include_activity: 0;
  /** Inclusive, "YYYY-MM-DD", Tautulli server's local date. */
  after?: string;
  user?: string;
  media_type?: string;
}

/** cmd=get_tautulli_info (only what clawarr reads). */
export interface TautulliInfo {
  tautulli_version?: string;
}

/**
 * The JSON a Tautulli webhook posts with clawarr's template (samples/tautulli/webhook_template_watched.json).
 * Every value is a string; a parameter Tautulli does not know stays as the literal "{name}".
 */
export interface TautulliWebhookBody {
  action?: string;
  media_type?: string;
  title?: string;
  show_name?: string;
  season_num?: string;
  episode_num?: string;
  year?: string;
  imdb_id?: string;
  tmdb_id?: string;
  tvdb_id?: string;
  guid?: string;
  rating_key?: string;
  progress_percent?: string;
  user?: string;
  user_id?: string;
  watched_at?: string;
}

/** The `payload` form field of a Plex webhook (Plex Pass), the parts clawarr reads. */
export interface PlexWebhookPayload {
  event?: string;
  Account?: { id?: number; title?: string };
  Metadata?: {
    type?: string;
    ratingKey?: string;
    guid?: string;
    grandparentGuid?: string;
    Guid?: Array<{ id?: string }>;
    title?: string;
    grandparentTitle?: string;
    index?: number | string;
    parentIndex?: number | string;
    year?: number | string;
    viewOffset?: number | string;
    duration?: number | string;
  };
}
