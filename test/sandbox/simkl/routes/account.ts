// /users/settings and /sync/activities (api-facts §2.6; shapes from Simkl's reference pages).
import { json, type Call, type Reply } from '../http';
import type { SimklState } from '../state';

// Deterministic per sandbox; a real account id is a small integer like this one.
const ACCOUNT_ID = 12345;

export function settings(state: SimklState, _call: Call): Reply {
  return json(200, {
    user: { name: state.options.username, joined_at: '2020-01-01T00:00:00Z', gender: '', avatar: '', bio: '', loc: '', age: '' },
    account: { id: ACCOUNT_ID, timezone: 'UTC', type: 'free' },
  });
}

export function activities(state: SimklState, _call: Call): Reply {
  return json(200, state.activities);
}
