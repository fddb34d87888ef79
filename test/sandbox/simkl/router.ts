// Route table. Pages (simkl.com's PIN and consent screens) skip every API gate; API routes carry
// their auth need and whether they are a /sync write (no two at once per user).
import type { Call, Reply } from './http';
import { activities, settings } from './routes/account';
import { allItems } from './routes/all-items';
import { authorizeDecision, authorizeForm, pinDecision, pinForm, pinPage } from './routes/approve';
import { addHistory, removeHistory } from './routes/history';
import { addToList } from './routes/lists';
import { pinInit, pinPoll, token } from './routes/oauth';
import { addRatings, getRatings, removeRatings } from './routes/ratings';
import { scrobble } from './routes/scrobble';
import { searchId, searchText } from './routes/search';
import type { SimklState } from './state';

export interface SimklRoute {
  method: string;
  pattern: RegExp;
  kind: 'page' | 'api';
  /** API routes: 'required' answers 401 without a valid token; a token that is sent is always checked. */
  auth?: 'required' | 'optional';
  syncWrite?: boolean;
  handle: (state: SimklState, call: Call, params: string[]) => Reply | Promise<Reply>;
}

const ROUTES: SimklRoute[] = [
  { method: 'GET', pattern: /^\/pin$/, kind: 'page', handle: (s, c) => pinForm(s, c) },
  { method: 'GET', pattern: /^\/pin\/([^/]+)$/, kind: 'page', handle: (s, c, [code]) => pinPage(s, c, code) },
  { method: 'POST', pattern: /^\/pin\/([^/]+)$/, kind: 'page', handle: (s, c, [code]) => pinDecision(s, c, code) },
  { method: 'GET', pattern: /^\/oauth\/authorize$/, kind: 'page', handle: (s, c) => authorizeForm(s, c) },
  { method: 'POST', pattern: /^\/oauth\/authorize$/, kind: 'page', handle: (s, c) => authorizeDecision(s, c) },
  { method: 'GET', pattern: /^\/oauth\/pin$/, kind: 'api', handle: (s, c) => pinInit(s, c) },
  { method: 'GET', pattern: /^\/oauth\/pin\/([^/]+)$/, kind: 'api', handle: (s, c, [code]) => pinPoll(s, c, code) },
  { method: 'POST', pattern: /^\/oauth\/token$/, kind: 'api', handle: (s, c) => token(s, c) },
  // Simkl documents POST ("for historical reasons"); GET is accepted too.
  { method: 'POST', pattern: /^\/users\/settings$/, kind: 'api', auth: 'required', handle: (s, c) => settings(s, c) },
  { method: 'GET', pattern: /^\/users\/settings$/, kind: 'api', auth: 'required', handle: (s, c) => settings(s, c) },
  { method: 'GET', pattern: /^\/search\/id$/, kind: 'api', auth: 'optional', handle: (s, c) => searchId(s, c) },
  { method: 'GET', pattern: /^\/search\/([^/]+)$/, kind: 'api', auth: 'optional', handle: (s, c, [type]) => searchText(s, c, type) },
  { method: 'GET', pattern: /^\/sync\/activities$/, kind: 'api', auth: 'required', handle: (s, c) => activities(s, c) },
  {
    method: 'GET',
    pattern: /^\/sync\/all-items(?:\/([^/]+)(?:\/([^/]+))?)?$/,
    kind: 'api',
    auth: 'required',
    handle: (s, c, [type, status]) => allItems(s, c, type, status),
  },
  { method: 'POST', pattern: /^\/sync\/history$/, kind: 'api', auth: 'required', syncWrite: true, handle: (s, c) => addHistory(s, c) },
  { method: 'POST', pattern: /^\/sync\/history\/remove$/, kind: 'api', auth: 'required', syncWrite: true, handle: (s, c) => removeHistory(s, c) },
  { method: 'POST', pattern: /^\/sync\/ratings$/, kind: 'api', auth: 'required', syncWrite: true, handle: (s, c) => addRatings(s, c) },
  { method: 'POST', pattern: /^\/sync\/ratings\/remove$/, kind: 'api', auth: 'required', syncWrite: true, handle: (s, c) => removeRatings(s, c) },
  {
    method: 'GET',
    pattern: /^\/sync\/ratings\/([^/]+)(?:\/([^/]+))?$/,
    kind: 'api',
    auth: 'required',
    handle: (s, c, [type, ratings]) => getRatings(s, c, type, ratings),
  },
  { method: 'POST', pattern: /^\/sync\/add-to-list$/, kind: 'api', auth: 'required', syncWrite: true, handle: (s, c) => addToList(s, c) },
  {
    method: 'POST',
    pattern: /^\/scrobble\/(start|pause|stop)$/,
    kind: 'api',
    auth: 'required',
    handle: (s, c, [action]) => scrobble(s, c, action as 'start' | 'pause' | 'stop'),
  },
];

export interface SimklMatch {
  route?: SimklRoute;
  params: string[];
  /** The path exists but not for this method (405). */
  wrongMethod: boolean;
}

const safeDecode = (p: string | undefined): string | undefined => {
  if (p === undefined) return p;
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
};

export function matchRoute(method: string, path: string): SimklMatch {
  let wrongMethod = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      wrongMethod = true;
      continue;
    }
    return { route, params: m.slice(1).map(safeDecode) as string[], wrongMethod: false };
  }
  return { params: [], wrongMethod };
}
