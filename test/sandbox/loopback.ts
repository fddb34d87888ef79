// Listens on 127.0.0.1 for a fake service and closes it promptly (keep-alive sockets included).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

export async function listenLoopback(port: number, onRequest: http.RequestListener, onClose: () => void = () => undefined): Promise<Loopback> {
  const server = http.createServer(onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets from clients would otherwise hold close() open.
      server.closeAllConnections();
      onClose();
    }));
  return { url, close };
}

/** The parts of a request every fake's pipeline reads: path without trailing slashes, query, method. */
export function requestParts(req: http.IncomingMessage): { method: string; path: string; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  // Trailing slashes are tolerated like on the real APIs.
  return { method: (req.method ?? 'GET').toUpperCase(), path: url.pathname.replace(/\/+$/, '') || '/', query: url.searchParams };
}
