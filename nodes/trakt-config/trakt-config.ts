import type { Node, NodeAPI, NodeDef, NodeStatus } from 'node-red';
import type { Request, Response } from 'express';
import type { AccountLimiter, LimiterOptions } from '../../lib/core/limiter';
import { registerSecret } from '../../lib/core/redact';
import { AccountLimiter as Limiter } from '../../lib/core/limiter';
import type { StoredTokens } from '../../lib/store/token-store';
import { startupTokens } from '../../lib/store/token-store';
import { createTraktAccount, traktHttp, TRAKT_API_URL, type TraktAccount } from '../../lib/trakt/account';
import { TraktClient } from '../../lib/trakt/client';
import { TraktMatchProvider } from '../../lib/trakt/search';
import { DeviceAuthorization } from '../../lib/trakt/device-authorization';
import { TraktSession, type AuthState } from '../../lib/trakt/session';
import { tokenStoreFor } from '../shared/state';
import type { TrackerConfigNode } from '../shared/tracker-config';

interface TraktConfigDef extends NodeDef {
  apiUrl?: string;
  authorizedAs?: string;
}

interface TraktCredentials {
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
  refreshToken?: string;
  expiresAt?: string;
}

interface TraktConfig extends TrackerConfigNode {
  credentials: TraktCredentials;
  apiUrl: string;
  account?: TraktAccount;
  users: Set<Node>;
}

const TYPE = 'clawarr-trakt-config';
const PASSWORD_PLACEHOLDER = '__PWRD__';

/** Optional `clawarr` section of Node-RED's settings.js, for unusual limits (and fast tests). */
interface ClawarrSettings {
  limits?: LimiterOptions;
  backoffBaseMs?: number;
  timeoutMs?: number;
  devicePollMs?: number;
}

export = function register(RED: NodeAPI): void {
  const tokenStore = tokenStoreFor(RED);
  const settings = ((RED.settings as unknown as { clawarr?: ClawarrSettings }).clawarr ?? {}) as ClawarrSettings;
  /** Device authorizations in progress, by config node id; never sent to the editor. */
  const authorizations = new Map<string, DeviceAuthorization>();


  const persistTokens = async (id: string, tokens: StoredTokens): Promise<void> => {
    tokenStore.set(id, tokens);
    // Also in the flow's credentials (saved at the next deploy), merged into the raw stored set so
    // ${ENV} references in the client id are not replaced by their values.
    const raw = (RED.nodes.getCredentials(id) ?? {}) as TraktCredentials;
    await RED.nodes.addCredentials(id, {
      ...raw,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: tokens.expiresAt ? new Date(tokens.expiresAt * 1000).toISOString() : undefined,
    });
  };

  function TraktConfigNode(this: TraktConfig, def: TraktConfigDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    node.apiUrl = def.apiUrl || TRAKT_API_URL;
    node.users = new Set();
    const creds = node.credentials ?? {};
    registerSecret(creds.clientSecret);

    if (creds.clientId && creds.clientSecret) {
      const tokens = startupTokens(credentialTokens(creds), tokenStore.get(node.id));
      node.account = createTraktAccount({
        apiUrl: node.apiUrl,
        app: { clientId: creds.clientId, clientSecret: creds.clientSecret },
        tokens,
        persist: (fresh) => persistTokens(node.id, fresh),
        limits: settings.limits,
        backoffBaseMs: settings.backoffBaseMs,
        timeoutMs: settings.timeoutMs,
      });
      if (tokens && tokens !== tokenStore.get(node.id)) tokenStore.set(node.id, tokens);
      node.account.session.on('state', () => node.users.forEach((user) => updateUserStatus(user)));
    }

    node.provider = () => {
      if (!node.account) return new Error('the Trakt config node needs a client id and client secret (your Trakt API app)');
      if (node.account.session.state === 'unauthorized') return new Error('Trakt is not authorized yet: open the trakt-config node and press "Authorize with Trakt"');
      return node.account.client;
    };
    let matchProvider: TraktMatchProvider | undefined;
    node.matchProvider = () => {
      const client = node.provider();
      if (client instanceof Error) return client;
      matchProvider ??= new TraktMatchProvider(node.account!.client);
      return matchProvider;
    };
    node.limiter = (): AccountLimiter | undefined => node.account?.limiter;
    node.authStatus = (): NodeStatus | undefined => authStatusOf(node.account?.session.state, node.account?.session.username);
    node.register = (user) => {
      node.users.add(user);
      updateUserStatus(user);
    };
    node.deregister = (user) => node.users.delete(user);

    function updateUserStatus(user: Node): void {
      const status = node.authStatus();
      if (status) user.status(status);
    }

    node.on('close', (removed: boolean, done: () => void) => {
      const finish = () => {
        void node.account?.limiter.stop();
        if (removed) {
          authorizations.get(node.id)?.cancel();
          authorizations.delete(node.id);
          tokenStore.delete(node.id);
        }
        done();
      };
      // Nodes close together: users still flushing what they took in (sync-history) need the limiter
      // until they deregister. Wait for them, but not past Node-RED's close timeout (15 s).
      const deadline = Date.now() + 10_000;
      const waitForUsers = () => (node.users.size && Date.now() < deadline ? setTimeout(waitForUsers, 20) : finish());
      waitForUsers();
    });
  }

  function authStatusOf(state: AuthState | undefined, username: string | undefined): NodeStatus | undefined {
    switch (state) {
      case 'reauth_required':
        return { fill: 'red', shape: 'ring', text: RED._('trakt-config.status.reauth') };
      case 'unauthorized':
        return { fill: 'grey', shape: 'ring', text: RED._('trakt-config.status.unauthorized') };
      case 'refreshing':
        return { fill: 'blue', shape: 'ring', text: RED._('trakt-config.status.refreshing') };
      case 'authorized':
        return username ? { fill: 'green', shape: 'dot', text: RED._('trakt-config.status.authorized', { username }) } : undefined;
      default:
        return undefined;
    }
  }

  RED.nodes.registerType(TYPE, TraktConfigNode as unknown as (this: Node, def: NodeDef) => void, {
    credentials: {
      clientId: { type: 'text' },
      clientSecret: { type: 'password' },
      accessToken: { type: 'password' },
      refreshToken: { type: 'password' },
      expiresAt: { type: 'text' },
    },
  });

  // Editor endpoints for "Authorize with Trakt". The device code stays here; the editor only sees
  // the user code, the link and the outcome.
  RED.httpAdmin.post(`/${TYPE}/:id/auth/start`, RED.auth.needsPermission(`${TYPE}.write`), (req: Request, res: Response) => {
    void (async () => {
      const id = String(req.params.id);
      const body = (req.body ?? {}) as { clientId?: string; clientSecret?: string; apiUrl?: string };
      const saved = (RED.nodes.getCredentials(id) ?? {}) as TraktCredentials;
      const live = RED.nodes.getNode(id) as TraktConfig | null;
      const clientId = (body.clientId || saved.clientId || '').trim();
      const clientSecret = (body.clientSecret && body.clientSecret !== PASSWORD_PLACEHOLDER ? body.clientSecret : saved.clientSecret || '').trim();
      const apiUrl = (body.apiUrl || live?.apiUrl || TRAKT_API_URL).trim();
      if (!clientId || !clientSecret) {
        res.status(400).json({ message: RED._('trakt-config.errors.missingApp') });
        return;
      }
      if (!/^https?:\/\//i.test(apiUrl)) {
        res.status(400).json({ message: RED._('trakt-config.errors.badUrl') });
        return;
      }
      registerSecret(clientSecret);
      authorizations.get(id)?.cancel();
      const app = { clientId, clientSecret };
      const limiter = new Limiter();
      const http = traktHttp(apiUrl, clientId, limiter);
      const authorization = new DeviceAuthorization({
        http,
        app,
        pollIntervalMs: settings.devicePollMs,
        // Its limiter keeps a timer: released when the authorization is over, whatever the outcome.
        onEnd: () => void limiter.stop(),
        onAuthorized: async (tokens) => {
          const session = new TraktSession(http, { app, tokens, persist: () => undefined });
          const username = (await new TraktClient(http, session).settings()).user.username;
          const withName = { ...tokens, username };
          await persistTokens(id, withName);
          const node = RED.nodes.getNode(id) as TraktConfig | null;
          if (node?.account) await node.account.session.setTokens(withName);
          return username;
        },
      });
      authorizations.set(id, authorization);
      try {
        res.json(await authorization.start());
      } catch (error) {
        authorizations.delete(id);
        authorization.cancel();
        res.status(502).json({ message: (error as Error).message });
      }
    })();
  });

  RED.httpAdmin.get(`/${TYPE}/:id/auth/status`, RED.auth.needsPermission(`${TYPE}.read`), (req: Request, res: Response) => {
    const id = String(req.params.id);
    const authorization = authorizations.get(id);
    if (authorization) {
      res.json(authorization.current());
      return;
    }
    const node = RED.nodes.getNode(id) as TraktConfig | null;
    const stored = tokenStore.get(id);
    if (node?.account?.session.state === 'reauth_required') {
      res.json({ state: 'reauth_required', message: RED._('trakt-config.status.reauth') });
    } else if (stored?.accessToken) {
      res.json({ state: 'authorized', username: stored.username });
    } else {
      res.json({ state: 'none' });
    }
  });

  RED.httpAdmin.post(`/${TYPE}/:id/auth/cancel`, RED.auth.needsPermission(`${TYPE}.write`), (req: Request, res: Response) => {
    authorizations.get(String(req.params.id))?.cancel();
    authorizations.delete(String(req.params.id));
    res.json({ state: 'cancelled' });
  });
};

function credentialTokens(creds: TraktCredentials): StoredTokens | undefined {
  if (!creds.accessToken) return undefined;
  const expiresMs = creds.expiresAt ? Date.parse(creds.expiresAt) : NaN;
  return {
    accessToken: creds.accessToken,
    refreshToken: creds.refreshToken || undefined,
    expiresAt: Number.isNaN(expiresMs) ? undefined : Math.floor(expiresMs / 1000),
  };
}
