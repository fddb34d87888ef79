// Boots the fake Simkl API on 127.0.0.1 and wires requests into the pipeline.
import { listenLoopback, requestParts } from '../loopback';
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

  const { url, close } = await listenLoopback(options.port, (req, res) => {
    const arrivedAt = Date.now();
    readBody(req).then(
      (rawBody) => {
        const call: Call = {
          // Trailing slashes are tolerated (Simkl's own examples use /sync/all-items/).
          ...requestParts(req),
          req,
          res,
          rawBody,
          body: {},
          arrivedAt,
        };
        return handle(state, call);
      },
      () => req.socket.destroy(),
    );
  }, () => flush());
  state.baseUrl = url;

  return { url: state.baseUrl, close, state };
}
