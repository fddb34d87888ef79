// /_sandbox/* test-control endpoints: no auth, no faults, no rate limits, not logged.
import { mergeFaults } from '../faults';
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';

const DEFAULT_TAIL = 50;

function snapshot(state: TraktState, call: Call): unknown {
  const tail = Number.parseInt(call.query.get('tail') ?? '', 10);
  const n = Number.isFinite(tail) && tail >= 0 ? tail : DEFAULT_TAIL;
  return {
    playsCount: state.plays.length,
    plays: state.plays,
    removedPlaysCount: state.removedPlays.length,
    count429: state.count429,
    countByMethod: state.countByMethod,
    requestCount: state.requestLog.length,
    requestLog: n === 0 ? [] : state.requestLog.slice(-n),
    faults: state.faults,
    faultsServed: state.faultsServed,
  };
}

function decide(state: TraktState, call: Call, approve: boolean): Reply {
  const code = String(call.body.user_code ?? '');
  const ok = approve ? state.approve(code) : state.deny(code);
  return ok ? json(200, { ok: true }) : json(404, { error: 'unknown, expired or already decided user_code' });
}

export function control(state: TraktState, call: Call): Reply {
  const route = `${call.method} ${call.path}`;
  switch (route) {
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
    case 'POST /_sandbox/expire-tokens':
      state.expireAccessTokens();
      return json(200, { ok: true });
    case 'POST /_sandbox/approve':
      return decide(state, call, true);
    case 'POST /_sandbox/deny':
      return decide(state, call, false);
    case 'POST /_sandbox/tokens':
      return json(200, state.issueTokens());
    default:
      return json(404, { error: 'unknown sandbox control endpoint' });
  }
}
