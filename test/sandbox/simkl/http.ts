// Response plumbing of the fake Simkl. Call/Reply are the Trakt fake's (same pipeline idea); what
// differs is Simkl's error envelope and where requests are logged.
import { json, type Call, type Reply } from '../trakt/http-io';
import type { SimklState } from './state';

export { html, json, parseBody, readBody, type Call, type Reply } from '../trakt/http-io';

/** Simkl's documented error envelope: branch on `error`, `code` echoes the status. */
export const simklError = (status: number, error: string, message: string, headers?: Record<string, string>): Reply =>
  json(status, { error, code: status, message }, headers);

export function send(state: SimklState, call: Call, reply: Reply, log = true): void {
  const { res } = call;
  const entry = { method: call.method, path: call.path, at: call.arrivedAt };
  if (res.headersSent || res.destroyed) {
    // The client hung up first (e.g. its timeout fired during an injected delay).
    if (log) state.logRequest({ ...entry, status: 0 });
    return;
  }
  const body = reply.html !== undefined ? reply.html : reply.json !== undefined ? JSON.stringify(reply.json) : '';
  res.writeHead(reply.status, {
    'Content-Type': reply.html !== undefined ? 'text/html; charset=UTF-8' : 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    ...reply.headers,
  });
  res.end(body);
  if (log) state.logRequest({ ...entry, status: reply.status });
}

/** Simulates a connection reset: no status line ever reaches the client. */
export function destroy(state: SimklState, call: Call): void {
  state.logRequest({ method: call.method, path: call.path, status: 0, at: call.arrivedAt });
  call.req.socket.destroy();
}
