// Boots the fake Trakt API on 127.0.0.1 and wires requests into the pipeline.
import { listenLoopback, requestParts } from '../loopback';
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

  const { url, close } = await listenLoopback(options.port, (req, res) => {
    const arrivedAt = Date.now();
    readBody(req).then(
      (rawBody) => {
        const call: Call = {
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
