// /_sandbox/* test-control endpoints (for flows running out of process): no gates, not logged.
import { mergeFaults } from '../faults';
import { json, type Call, type Reply } from '../http';
import type { SimklState } from '../state';

const DEFAULT_TAIL = 50;

function snapshot(state: SimklState, call: Call): unknown {
  const tail = Number.parseInt(call.query.get('tail') ?? '', 10);
  const n = Number.isFinite(tail) && tail >= 0 ? tail : DEFAULT_TAIL;
  return {
    playsCount: state.plays.length,
    plays: state.plays,
    duplicates: state.duplicates(),
    removedPlaysCount: state.removedPlays.length,
    scrobbles: state.scrobbles,
    count429: state.count429,
    unGatedAllItems: state.unGatedAllItems,
    ratings: Object.fromEntries(state.ratings),
    listings: Object.fromEntries(state.listings),
    requestCount: state.requestLog.length,
    requestLog: n === 0 ? [] : state.requestLog.slice(-n),
    faults: state.faults,
  };
}

function decide(state: SimklState, call: Call, approve: boolean): Reply {
  const code = String(call.body.user_code ?? '');
  const ok = approve ? state.approvePin(code) : state.denyPin(code);
  return ok ? json(200, { ok: true }) : json(404, { error: 'unknown, expired or already decided user_code' });
}

export function control(state: SimklState, call: Call): Reply {
  switch (`${call.method} ${call.path}`) {
    case 'GET /_sandbox/faults':
      return json(200, state.faults);
    case 'POST /_sandbox/faults':
      mergeFaults(state.faults, call.body);
      return json(200, state.faults);
    case 'GET /_sandbox/state':
      return json(200, snapshot(state, call));
    case 'GET /_sandbox/catalog':
      return json(200, state.catalog);
    case 'POST /_sandbox/reset':
      state.reset();
      return json(200, { ok: true });
    case 'POST /_sandbox/approve':
      return decide(state, call, true);
    case 'POST /_sandbox/deny':
      return decide(state, call, false);
    case 'POST /_sandbox/token':
      return json(200, { access_token: state.issueToken() });
    default:
      return json(404, { error: 'unknown sandbox control endpoint' });
  }
}
