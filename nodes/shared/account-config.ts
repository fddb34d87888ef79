import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeStatus } from 'node-red';
import type { AccountLimiter, LimiterOptions } from '../../lib/core/limiter';
import type { DeviceStatus } from '../../lib/trakt/device-authorization';
import { showOn, statusOf } from './status';
import type { TrackerConfigNode } from './tracker-config';

/** Optional `clawarr` section of Node-RED's settings.js, for unusual limits (and fast tests). */
export interface ClawarrSettings {
  limits?: LimiterOptions;
  backoffBaseMs?: number;
  timeoutMs?: number;
  devicePollMs?: number;
}

export function clawarrSettings(RED: NodeAPI): ClawarrSettings {
  return ((RED.settings as unknown as { clawarr?: ClawarrSettings }).clawarr ?? {}) as ClawarrSettings;
}

/** What the editor's placeholder for an unchanged password field is. */
export const PASSWORD_PLACEHOLDER = '__PWRD__';

/**
 * The status every node using an account shows for its authorization (i18n keys under `<prefix>.status`), or
 * undefined when there is nothing to say. Not authorized (yet, or any more) blocks every user: a red dot.
 */
export function authStatusOf(RED: NodeAPI, prefix: string, state: string | undefined, username: string | undefined): NodeStatus | undefined {
  switch (state) {
    case 'reauth_required':
      return statusOf('blocked', RED._(`${prefix}.status.reauth`));
    case 'unauthorized':
      return statusOf('blocked', RED._(`${prefix}.status.unauthorized`));
    case 'refreshing':
      return statusOf('working', RED._(`${prefix}.status.refreshing`));
    case 'authorized':
      return username ? statusOf('done', RED._(`${prefix}.status.authorized`, { username })) : undefined;
    default:
      return undefined;
  }
}

/**
 * The users of a config node (MQTT broker pattern): they get the account's status, and the config
 * node closes only after they have (they may still be flushing through its limiter).
 */
export class AccountUsers {
  private readonly users = new Set<Node>();

  constructor(private readonly accountStatus: () => NodeStatus | undefined) {}

  register(user: Node): void {
    this.users.add(user);
    this.show(user);
  }

  deregister(user: Node): void {
    this.users.delete(user);
  }

  showAll(): void {
    this.users.forEach((user) => this.show(user));
  }

  /** Resolves once every user has deregistered, or after `limitMs` (Node-RED's close timeout is 15 s). */
  async gone(limitMs = 10_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.users.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  private show(user: Node): void {
    const status = this.accountStatus();
    if (status) showOn(user, status);
  }
}

/** A device/PIN authorization as the admin routes drive it. */
export interface EditorAuthorization {
  start(): Promise<DeviceStatus>;
  current(): DeviceStatus;
  cancel(): void;
}

export interface AuthRoutes {
  /** Builds the authorization from the editor's body (or answers 400 with a message). */
  create(id: string, body: Record<string, string | undefined>): EditorAuthorization | { error: string };
  /** The status when no authorization is running: from the token store and the live node. */
  idle(id: string): DeviceStatus | { state: 'reauth_required' | 'none'; message?: string };
}

/**
 * The editor's "Authorize" endpoints of a config type: start, status, cancel. The device code stays
 * in the runtime; the editor sees the user code, the link and the outcome.
 */
export function registerAuthRoutes(RED: NodeAPI, type: string, routes: AuthRoutes): Map<string, EditorAuthorization> {
  const running = new Map<string, EditorAuthorization>();
  RED.httpAdmin.post(`/${type}/:id/auth/start`, RED.auth.needsPermission(`${type}.write`), (req: Request, res: Response) => {
    void (async () => {
      const id = String(req.params.id);
      const created = routes.create(id, (req.body ?? {}) as Record<string, string | undefined>);
      if ('error' in created) {
        res.status(400).json({ message: created.error });
        return;
      }
      running.get(id)?.cancel();
      running.set(id, created);
      try {
        res.json(await created.start());
      } catch (error) {
        running.delete(id);
        created.cancel();
        res.status(502).json({ message: (error as Error).message });
      }
    })();
  });
  RED.httpAdmin.get(`/${type}/:id/auth/status`, RED.auth.needsPermission(`${type}.read`), (req: Request, res: Response) => {
    const id = String(req.params.id);
    res.json(running.get(id)?.current() ?? routes.idle(id));
  });
  RED.httpAdmin.post(`/${type}/:id/auth/cancel`, RED.auth.needsPermission(`${type}.write`), (req: Request, res: Response) => {
    const id = String(req.params.id);
    running.get(id)?.cancel();
    running.delete(id);
    res.json({ state: 'cancelled' });
  });
  return running;
}

/** A provider built once from the account's client, or the reason there is no client yet. */
export function lazyFrom<C, P>(client: () => C | Error, make: (client: C) => P): () => P | Error {
  let made: P | undefined;
  return () => {
    const current = client();
    if (current instanceof Error) return current;
    made ??= make(current);
    return made;
  };
}

/** What every tracker account has, for the parts its config node shares with the others. */
export interface AccountParts {
  limiter: AccountLimiter;
  session: { state: string; username?: string };
}

/**
 * Wires what every tracker config node does alike: its users and their status, the shared limiter,
 * and a close that waits for the users (still flushing through the limiter) before stopping it.
 * `onRemoved` forgets the account's authorization and tokens when the node is deleted.
 */
export function shareAccount(RED: NodeAPI, node: TrackerConfigNode, prefix: string, account: () => AccountParts | undefined, onRemoved: () => void): AccountUsers {
  const users = new AccountUsers(() => node.authStatus());
  node.limiter = () => account()?.limiter;
  node.authStatus = () => authStatusOf(RED, prefix, account()?.session.state, account()?.session.username);
  node.register = (user) => users.register(user);
  node.deregister = (user) => users.deregister(user);
  node.on('close', (removed: boolean, done: () => void) => {
    void users.gone().then(() => {
      void account()?.limiter.stop();
      if (removed) onRemoved();
      done();
    });
  });
  return users;
}
