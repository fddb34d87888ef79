// Shared shapes of the fake Tautulli; kept free of logic so every module can import it.

/** How Plex identifies an item (api-facts §3.5); `unmatched` items use one of these guids too. */
export type GuidKind =
  | 'plex'
  | 'imdb'
  | 'themoviedb'
  | 'thetvdb'
  | 'thetvdbdvdorder'
  | 'hama-anidb'
  | 'hama-tvdb'
  | 'xbmcnfo'
  | 'local'
  | 'none';

/** One Plex library entry as Tautulli stores it (session_history_metadata) and get_metadata shows it. */
export interface TautulliItem {
  ratingKey: number;
  mediaType: 'movie' | 'show' | 'season' | 'episode';
  /** Movie, show or episode title; "Season N" for seasons. */
  title: string;
  originalTitle: string;
  year: number | '';
  originallyAvailableAt: string;
  guid: string;
  /** External ids of a new-agent (plex://) item; [] for legacy agents. */
  guids: string[];
  /** Seasons and episodes: their show (and season); '' elsewhere. */
  parentRatingKey: number | '';
  grandparentRatingKey: number | '';
  /** Episode number (episode) or season number (season). */
  index: number | '';
  /** Season number of an episode. */
  parentIndex: number | '';
  durationMs: number;
  sectionId: number;
  libraryName: string;
  addedAt: number;
  /** Sandbox only, never served: how the guid was made and what the item is on the fake Trakt. */
  guidKind: GuidKind;
  trakt: { type: 'movie' | 'show' | 'episode'; id: number } | null;
}

/** One row of session_history: one sitting, from play to stop. */
export interface TautulliSession {
  id: number;
  /** Id of the first sitting of the chain Tautulli groups this one into. */
  referenceId: number;
  ratingKey: number;
  userId: number;
  user: string;
  /** Unix seconds. */
  started: number;
  stopped: number;
  pausedCounter: number;
  /** Playback position at stop, ms (percent_complete = viewOffset / duration). */
  viewOffsetMs: number;
  device: Device;
}

/** A currently playing session (Tautulli's `sessions` table). */
export interface TautulliActivity {
  sessionKey: number;
  ratingKey: number;
  userId: number;
  user: string;
  started: number;
  pausedCounter: number;
  viewOffsetMs: number;
  state: 'playing' | 'paused' | 'buffering';
  device: Device;
}

export interface Device {
  platform: string;
  product: string;
  player: string;
  ipAddress: string;
  machineId: string;
  location: 'lan' | 'wan';
  secure: 0 | 1;
  relayed: 0 | 1;
  transcodeDecision: 'direct play' | 'copy' | 'transcode';
}

export interface TautulliUser {
  userId: number;
  username: string;
  friendlyName: string;
  thumb: string;
  devices: Device[];
}

/** What a correct tautulli-in → match → sync-history run must produce for one grouped history row. */
export interface ExpectedPlay {
  /** The group's reference_id as a string (what tautulli-in reports as source.ref). */
  ref: string;
  user: string;
  /** watched_status 1 for the group. */
  watched: boolean;
  /** null: the item cannot be found on the fake Trakt. */
  traktType: 'movie' | 'episode' | null;
  traktId: number | null;
  /** Group's `stopped`, ISO UTC truncated to the minute. */
  watchedAt: string;
}

export interface TautulliLibrary {
  users: TautulliUser[];
  /** Every item, including the shows and seasons episodes belong to. */
  items: TautulliItem[];
  /** session_history, ascending id. */
  sessions: TautulliSession[];
  activity: TautulliActivity[];
  /** One entry per group (grouping=1), ascending ref. */
  expected: ExpectedPlay[];
}

export interface TautulliFaults {
  /** The next N API calls answer 500 "Check the logs for errors". */
  status500Next: number;
  /** The next N API calls answer a 200 HTML page (a reverse proxy's login page). */
  htmlNext: number;
  /** The next N API calls get their connection destroyed. */
  resetNext: number;
  /** Every API call waits this long first. */
  delayMs: number;
}

export interface TautulliRequestLogEntry {
  method: string;
  path: string;
  cmd: string | null;
  /** 0 when the socket was destroyed. */
  status: number;
  at: number;
}

export interface TautulliSandboxOptions {
  /** Default 0 (random); host is always 127.0.0.1. */
  port?: number;
  /** Default 'sandbox-tautulli-key-0123456789ab' (32 characters like Tautulli's). */
  apiKey?: string;
  library?: TautulliLibrary;
  apiEnabled?: boolean;
  /** Reported by get_tautulli_info; default 'v2.17.2'. */
  version?: string;
  /** Tautulli's HTTP root, e.g. '/tautulli': the API then lives at /tautulli/api/v2. */
  httpRoot?: string;
  /** Server's local zone as minutes east of UTC (after/before compare local dates); default 0. */
  timezoneOffsetMinutes?: number;
}
