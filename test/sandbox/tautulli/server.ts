// Boots the fake Tautulli on 127.0.0.1: {httpRoot}/api/v2 answers JSON, every other path the web
// UI's HTML. Faults are consumed per API call.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callApi, serverError, type ApiReply } from './api';
import { emptyLibrary, resolveTautulliOptions } from './options';
import { loginPage, notFoundPage } from './pages';
import { TautulliState } from './state';
import type { TautulliFaults, TautulliSandboxOptions } from './types';

export interface TautulliSandbox {
  /** http://127.0.0.1:PORT plus the http root: what a user types into the Tautulli config. */
  url: string;
  close(): Promise<void>;
  state: TautulliState;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

function take(faults: TautulliFaults, name: 'status500Next' | 'htmlNext' | 'resetNext'): boolean {
  if (faults[name] <= 0) return false;
  faults[name]--;
  return true;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: http.ServerResponse, status: number, body: string, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), Server: 'CherryPy/18.10.0' });
  res.end(body);
}

/** The web UI's own pages answer 200; anything else CherryPy's 404 page. Both are HTML. */
const isUiPage = (path: string, root: string): boolean => path.startsWith(root) && ['', '/home', '/auth/login'].includes(path.slice(root.length));

async function handle(state: TautulliState, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const at = Date.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname.replace(/\/+$/, '');
  const root = state.options.httpRoot;
  const body = await readBody(req);

  if (path !== `${root}/api/v2` || (method !== 'GET' && method !== 'POST')) {
    const page = isUiPage(path, root);
    write(res, page ? 200 : 404, page ? loginPage() : notFoundPage(url.pathname), 'text/html;charset=utf-8');
    return;
  }

  // CherryPy merges query string and form body into one set of keyword arguments.
  const params = new URLSearchParams(url.searchParams);
  if (method === 'POST' && (req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  }
  const log = (status: number): void => state.logRequest({ method, path: url.pathname, cmd: params.get('cmd'), status, at });

  const f = state.faults;
  if (take(f, 'resetNext')) {
    log(0);
    req.socket.destroy();
    return;
  }
  if (f.delayMs > 0) await sleep(f.delayMs);
  let reply: ApiReply;
  if (take(f, 'htmlNext')) {
    log(200);
    return write(res, 200, loginPage(), 'text/html;charset=utf-8');
  }
  if (take(f, 'status500Next')) reply = serverError();
  else reply = callApi(state, params);
  log(reply.status);
  write(res, reply.status, JSON.stringify(reply.body), 'application/json;charset=UTF-8');
}

export async function startTautulliSandbox(o: TautulliSandboxOptions = {}): Promise<TautulliSandbox> {
  const options = resolveTautulliOptions(o);
  const state = new TautulliState(options, o.library ?? emptyLibrary());
  const server = http.createServer((req, res) => {
    handle(state, req, res).catch(() => {
      if (!res.headersSent) write(res, 500, JSON.stringify(serverError().body), 'application/json;charset=UTF-8');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets from clients would otherwise hold close() open.
      server.closeAllConnections();
    }));
  return { url: state.baseUrl + options.httpRoot, close, state };
}
