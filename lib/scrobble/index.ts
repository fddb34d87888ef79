export { Scrobbler } from './scrobbler';
export type { ScrobbleEvent, ScrobbleOptions, ScrobbleOutcome, ScrobbleStatus, SessionInfo, SessionState } from './types';
