// Boots the fake Trakt API on 127.0.0.1 and wires requests into the pipeline.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type Call } from './http-io';
import { resolveOptions } from './options';
import { loadState, persistTo } from './persistence';
import { handle } from './pipeline';
import { TraktState } from './state';
import type { TraktSandboxOptions } from './types';

export interface TraktSandbox {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  close(): Promise<void>;
  state: TraktState;
}

export async function startTraktSandbox(o: TraktSandboxOptions = {}): Promise<TraktSandbox> {
  const options = resolveOptions(o);
  const state = new TraktState(options);
  let flush = (): void => undefined;
  if (options.stateFile) {
    loadState(state, options.stateFile);
    flush = persistTo(state, options.stateFile);
  }

  const server = http.createServer((req, res) => {
    const arrivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    readBody(req).then(
      (rawBody) => {
        const call: Call = {
          req,
          res,
          method: (req.method ?? 'GET').toUpperCase(),
          // Trailing slashes are tolerated like on the real API.
          path: url.pathname.replace(/\/+$/, '') || '/',
          query: url.searchParams,
          rawBody,
          body: {},
          arrivedAt,
        };
        return handle(state, call);
      },
      () => req.socket.destroy(),
    );
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
      flush();
    }));

  return { url: state.baseUrl, close, state };
}
