// Request/response plumbing: handlers return a Reply value so the pipeline can still decide to
// drop, delay or replace it (fault injection) after the work is done.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraktState } from './state';

export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  /** Parsed request body (JSON or form); {} when empty. */
  body: Record<string, unknown>;
  arrivedAt: number;
  /** Set once the bearer token is validated. */
  username?: string;
}

export interface Reply {
  status: number;
  /** JSON body; omitted means an empty body. */
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

export const json = (status: number, body?: unknown, headers?: Record<string, string>): Reply => ({ status, json: body, headers });
export const html = (status: number, body: string, headers?: Record<string, string>): Reply => ({ status, html: body, headers });

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON or urlencoded; throws on malformed JSON. Non-object JSON becomes {}. */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw.trim() === '') return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  const parsed: unknown = JSON.parse(raw);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
}

export function send(state: TraktState, call: Call, reply: Reply, log = true): void {
  const { res } = call;
  if (res.headersSent || res.destroyed) {
    // The client hung up first (e.g. its timeout fired during an injected delay).
    if (log) state.logRequest({ method: call.method, path: call.path, status: 0, at: call.arrivedAt });
    return;
  }
  const body =
    reply.html !== undefined ? reply.html : reply.json !== undefined ? JSON.stringify(reply.json) : '';
  const contentType = reply.html !== undefined ? 'text/html; charset=UTF-8' : 'application/json; charset=utf-8';
  res.writeHead(reply.status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    ...reply.headers,
  });
  res.end(body);
  if (log) state.logRequest({ method: call.method, path: call.path, status: reply.status, at: call.arrivedAt });
}

/** Simulates a connection reset: no status line ever reaches the client. */
export function destroy(state: TraktState, call: Call): void {
  state.logRequest({ method: call.method, path: call.path, status: 0, at: call.arrivedAt });
  call.req.socket.destroy();
}
