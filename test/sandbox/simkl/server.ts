// Boots the fake Simkl API on 127.0.0.1 and wires requests into the pipeline.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, type Call } from './http';
import { resolveSimklOptions } from './options';
import { loadSimklState, persistSimklTo } from './persistence';
import { handle } from './pipeline';
import { SimklState } from './state';
import type { SimklSandboxOptions } from './types';

export interface SimklSandbox {
  /** http://127.0.0.1:PORT, no trailing slash: stands for api.simkl.com and simkl.com alike. */
  url: string;
  close(): Promise<void>;
  state: SimklState;
}

export async function startSimklSandbox(o: SimklSandboxOptions = {}): Promise<SimklSandbox> {
  const options = resolveSimklOptions(o);
  const state = new SimklState(options);
  let flush = (): void => undefined;
  if (options.stateFile) {
    loadSimklState(state, options.stateFile);
    flush = persistSimklTo(state, options.stateFile);
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
          // Trailing slashes are tolerated (Simkl's own examples use /sync/all-items/).
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
