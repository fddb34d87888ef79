// /api/v2: the checks of api2.py _api_validate in their order, the JSON envelope, and the command
// table. Every error is HTTP 400 with result "error" (api-facts §3.1).
import { getHistory } from './history';
import { arnold, serverInfo, tautulliInfo } from './info';
import { getMetadata } from './metadata';
import type { TautulliState } from './state';

export interface ApiReply {
  status: number;
  body: unknown;
}

const COMMANDS: Record<string, (state: TautulliState, params: URLSearchParams) => unknown> = {
  get_history: getHistory,
  get_metadata: getMetadata,
  get_tautulli_info: (s) => tautulliInfo(s),
  get_server_info: () => serverInfo(),
  arnold: (s) => arnold(s),
};

export const envelope = (result: 'success' | 'error', message: string | null, data: unknown = {}): unknown => ({ response: { result, message, data } });

const error = (message: string, status = 400): ApiReply => ({ status, body: envelope('error', message) });

/** What an unhandled exception in a command looks like. */
export const serverError = (): ApiReply => error('Check the logs for errors', 500);

function validate(state: TautulliState, params: URLSearchParams): string | undefined {
  const { apiEnabled, apiKey } = state.options;
  const names = Object.keys(COMMANDS);
  const cmd = params.get('cmd');
  if (!apiEnabled) return 'API not enabled';
  if (!params.has('apikey')) return 'Parameter apikey is required';
  if (cmd === null) return `Parameter cmd is required. Possible commands are: ${names.join(', ')}`;
  if (!(cmd in COMMANDS)) return `Unknown command: ${cmd}. Possible commands are: ${[...names].sort().join(', ')}`;
  if (params.get('apikey') !== apiKey) return 'Invalid apikey';
  return undefined;
}

export function callApi(state: TautulliState, params: URLSearchParams): ApiReply {
  const problem = validate(state, params);
  if (problem) return error(problem);
  try {
    const data = COMMANDS[params.get('cmd') as string](state, params);
    return { status: 200, body: envelope('success', null, data) };
  } catch {
    return serverError();
  }
}
