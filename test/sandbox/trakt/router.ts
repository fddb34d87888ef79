// Route table. `kind` decides which gates the pipeline applies: OAuth and the activation page are
// exempt from API headers, auth, faults and rate limits.
import type { Call, Reply } from './http-io';
import { lastActivities, settings } from './routes/account';
import { activateCode, activateDecision, activateForm } from './routes/activate';
import { addCollection, readCollection, removeCollection } from './routes/collection';
import { calendar, popular, recommendations, trending } from './routes/discovery';
import { readHistory, readUserHistory } from './routes/history-read';
import { addHistory, removeHistory } from './routes/history-write';
import { withListActivities } from './routes/list-common';
import { deviceCode, deviceToken, revoke, token } from './routes/oauth';
import { addRatings, readRatings, removeRatings } from './routes/ratings';
import { cancelCheckin, checkin, scrobble } from './routes/scrobble';
import { lookupId, searchText } from './routes/search';
import { stats, watching } from './routes/users';
import { addWatchlist, readWatchlist, removeWatchlist } from './routes/watchlist';
import type { TraktState } from './state';

export type Kind = 'oauth' | 'page' | 'api';

export interface Route {
  method: string;
  pattern: RegExp;
  kind: Kind;
  /** API routes only: 'required' answers 401 without a valid bearer token. */
  auth?: 'required' | 'optional';
  /** The "processed, then failed" faults only hit the endpoint that writes plays. */
  writesHistory?: boolean;
  handle: (state: TraktState, call: Call, params: string[]) => Reply;
}

type Type = 'movies' | 'shows';

// Ratings, watchlist, collection, the user's watching and stats, discovery and calendars.
const LIST_ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/sync\/ratings$/, kind: 'api', auth: 'required', handle: (s, c) => addRatings(s, c) },
  { method: 'POST', pattern: /^\/sync\/ratings\/remove$/, kind: 'api', auth: 'required', handle: (s, c) => removeRatings(s, c) },
  { method: 'GET', pattern: /^\/sync\/ratings(?:\/([^/]+)(?:\/([^/]+))?)?$/, kind: 'api', auth: 'required', handle: (s, c, [t, r]) => readRatings(s, c, t, r) },
  { method: 'POST', pattern: /^\/sync\/watchlist$/, kind: 'api', auth: 'required', handle: (s, c) => addWatchlist(s, c) },
  { method: 'POST', pattern: /^\/sync\/watchlist\/remove$/, kind: 'api', auth: 'required', handle: (s, c) => removeWatchlist(s, c) },
  { method: 'GET', pattern: /^\/sync\/watchlist(?:\/([^/]+)(?:\/[^/]+)?)?$/, kind: 'api', auth: 'required', handle: (s, c, [t]) => readWatchlist(s, c, t) },
  { method: 'POST', pattern: /^\/sync\/collection$/, kind: 'api', auth: 'required', handle: (s, c) => addCollection(s, c) },
  { method: 'POST', pattern: /^\/sync\/collection\/remove$/, kind: 'api', auth: 'required', handle: (s, c) => removeCollection(s, c) },
  { method: 'GET', pattern: /^\/sync\/collection(?:\/([^/]+))?$/, kind: 'api', auth: 'required', handle: (s, c, [t]) => readCollection(s, c, t) },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/watching$/, kind: 'api', auth: 'optional', handle: (s, c, [u]) => watching(s, c, u) },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/stats$/, kind: 'api', auth: 'optional', handle: (s, c, [u]) => stats(s, c, u) },
  { method: 'GET', pattern: /^\/recommendations\/(movies|shows)$/, kind: 'api', auth: 'required', handle: (s, c, [t]) => recommendations(s, c, t as Type) },
  { method: 'GET', pattern: /^\/(movies|shows)\/trending$/, kind: 'api', auth: 'optional', handle: (s, c, [t]) => trending(s, c, t as Type) },
  { method: 'GET', pattern: /^\/(movies|shows)\/popular$/, kind: 'api', auth: 'optional', handle: (s, c, [t]) => popular(s, c, t as Type) },
  {
    method: 'GET',
    pattern: /^\/calendars\/my\/(movies|shows)\/([^/]+)\/([^/]+)$/,
    kind: 'api',
    auth: 'required',
    handle: (s, c, [t, start, days]) => calendar(s, c, t as Type, start, days),
  },
];

const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/oauth\/device\/code$/, kind: 'oauth', handle: (s, c) => deviceCode(s, c) },
  { method: 'POST', pattern: /^\/oauth\/device\/token$/, kind: 'oauth', handle: (s, c) => deviceToken(s, c) },
  { method: 'POST', pattern: /^\/oauth\/token$/, kind: 'oauth', handle: (s, c) => token(s, c) },
  { method: 'POST', pattern: /^\/oauth\/revoke$/, kind: 'oauth', handle: (s, c) => revoke(s, c) },
  { method: 'GET', pattern: /^\/activate$/, kind: 'page', handle: (s, c) => activateForm(s, c) },
  { method: 'GET', pattern: /^\/activate\/([^/]+)$/, kind: 'page', handle: (s, c, [code]) => activateCode(s, c, code) },
  { method: 'POST', pattern: /^\/activate\/([^/]+)$/, kind: 'page', handle: (s, c, [code]) => activateDecision(s, c, code) },
  { method: 'GET', pattern: /^\/users\/settings$/, kind: 'api', auth: 'required', handle: (s, c) => settings(s, c) },
  { method: 'GET', pattern: /^\/sync\/last_activities$/, kind: 'api', auth: 'required', handle: (s, c) => withListActivities(s, lastActivities(s, c)) },
  { method: 'POST', pattern: /^\/sync\/history$/, kind: 'api', auth: 'required', writesHistory: true, handle: (s, c) => addHistory(s, c) },
  { method: 'POST', pattern: /^\/sync\/history\/remove$/, kind: 'api', auth: 'required', handle: (s, c) => removeHistory(s, c) },
  {
    method: 'GET',
    pattern: /^\/sync\/history(?:\/([^/]+)(?:\/([^/]+))?)?$/,
    kind: 'api',
    auth: 'required',
    handle: (s, c, [type, id]) => readHistory(s, c, type, id),
  },
  {
    method: 'GET',
    pattern: /^\/users\/([^/]+)\/history(?:\/([^/]+)(?:\/([^/]+))?)?$/,
    kind: 'api',
    auth: 'optional',
    handle: (s, c, [user, type, id]) => readUserHistory(s, c, user, type, id),
  },
  // Only stop and checkin can add plays, so only they take the "processed, then failed" faults.
  { method: 'POST', pattern: /^\/scrobble\/(start|pause)$/, kind: 'api', auth: 'required', handle: (s, c, [a]) => scrobble(s, c, a as 'start' | 'pause') },
  { method: 'POST', pattern: /^\/scrobble\/stop$/, kind: 'api', auth: 'required', writesHistory: true, handle: (s, c) => scrobble(s, c, 'stop') },
  { method: 'POST', pattern: /^\/checkin$/, kind: 'api', auth: 'required', writesHistory: true, handle: (s, c) => checkin(s, c) },
  { method: 'DELETE', pattern: /^\/checkin$/, kind: 'api', auth: 'required', handle: (s, c) => cancelCheckin(s, c) },
  ...LIST_ROUTES,
  { method: 'GET', pattern: /^\/search\/([^/]+)\/([^/]+)$/, kind: 'api', auth: 'optional', handle: (s, c, [idType, id]) => lookupId(s, c, idType, id) },
  { method: 'GET', pattern: /^\/search\/([^/]+)$/, kind: 'api', auth: 'optional', handle: (s, c, [types]) => searchText(s, c, types) },
];

const safeDecode = (p: string | undefined): string | undefined => {
  if (p === undefined) return p;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

export interface Match {
  kind: Kind;
  route?: Route;
  params: string[];
  /** The path exists but not for this method (405). */
  wrongMethod: boolean;
}

export function matchRoute(method: string, path: string): Match {
  let wrongMethod = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      wrongMethod = true;
      continue;
    }
    const params = m.slice(1).map(safeDecode) as string[];
    return { kind: route.kind, route, params, wrongMethod: false };
  }
  const kind: Kind = path.startsWith('/oauth/') ? 'oauth' : path === '/activate' || path.startsWith('/activate/') ? 'page' : 'api';
  return { kind, params: [], wrongMethod };
}
