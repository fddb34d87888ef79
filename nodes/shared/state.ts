import type { NodeAPI } from 'node-red';
import { StateStore } from '../../lib/store/state-store';
import { TokenStore } from '../../lib/store/token-store';

const stores = new Map<string, StateStore>();

/** The clawarr state dir of this Node-RED instance (CLAWARR_STATE_DIR, else <userDir>/clawarr). */
export function stateStoreFor(RED: NodeAPI): StateStore {
  const dir = StateStore.defaultDir(RED.settings.userDir as string | undefined);
  let store = stores.get(dir);
  if (!store) {
    store = new StateStore(dir);
    stores.set(dir, store);
  }
  return store;
}

export function tokenStoreFor(RED: NodeAPI): TokenStore {
  return new TokenStore(stateStoreFor(RED));
}
