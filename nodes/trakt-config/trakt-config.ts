import type { Node, NodeAPI, NodeDef } from 'node-red';
import { registerSecret } from '../../lib/core/redact';
import { AccountLimiter as Limiter } from '../../lib/core/limiter';
import type { StoredTokens } from '../../lib/store/token-store';
import { startupTokens } from '../../lib/store/token-store';
import { createTraktAccount, traktHttp, TRAKT_API_URL, type TraktAccount } from '../../lib/trakt/account';
import { TraktClient } from '../../lib/trakt/client';
import { TraktLists } from '../../lib/trakt/lists';
import { TraktReader } from '../../lib/trakt/reads';
import { TraktScrobbler } from '../../lib/trakt/scrobble';
import { TraktMatchProvider } from '../../lib/trakt/search';
import { DeviceAuthorization } from '../../lib/trakt/device-authorization';
import { TraktSession } from '../../lib/trakt/session';
import { clawarrSettings, lazyFrom, PASSWORD_PLACEHOLDER, registerAuthRoutes, shareAccount } from '../shared/account-config';
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
}

const TYPE = 'clawarr-trakt-config';

export = function register(RED: NodeAPI): void {
  const tokenStore = tokenStoreFor(RED);
  const settings = clawarrSettings(RED);

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
    }

    node.provider = () => {
      if (!node.account) return new Error(RED._('trakt-config.errors.noApp'));
      if (node.account.session.state === 'unauthorized') return new Error(RED._('trakt-config.errors.notAuthorized'));
      return node.account.client;
    };
    const client = () => node.provider() as TraktClient | Error;
    node.matchProvider = lazyFrom(client, (c) => new TraktMatchProvider(c));
    node.scrobbleProvider = lazyFrom(client, (c) => new TraktScrobbler(c));
    node.listProvider = lazyFrom(client, (c) => new TraktLists(c));
    node.readerProvider = lazyFrom(client, (c) => new TraktReader(c));
    const users = shareAccount(RED, node, 'trakt-config', () => node.account, () => {
      authorizations.get(node.id)?.cancel();
      authorizations.delete(node.id);
      tokenStore.delete(node.id);
    });
    node.account?.session.on('state', () => users.showAll());
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

  const authorizations = registerAuthRoutes(RED, TYPE, {
    create(id, body) {
      const saved = (RED.nodes.getCredentials(id) ?? {}) as TraktCredentials;
      const live = RED.nodes.getNode(id) as TraktConfig | null;
      const clientId = (body.clientId || saved.clientId || '').trim();
      const clientSecret = (body.clientSecret && body.clientSecret !== PASSWORD_PLACEHOLDER ? body.clientSecret : saved.clientSecret || '').trim();
      const apiUrl = (body.apiUrl || live?.apiUrl || TRAKT_API_URL).trim();
      if (!clientId || !clientSecret) return { error: RED._('trakt-config.errors.missingApp') };
      if (!/^https?:\/\//i.test(apiUrl)) return { error: RED._('trakt-config.errors.badUrl') };
      registerSecret(clientSecret);
      const app = { clientId, clientSecret };
      const limiter = new Limiter();
      const http = traktHttp(apiUrl, clientId, limiter);
      return new DeviceAuthorization({
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
    },
    idle(id) {
      const node = RED.nodes.getNode(id) as TraktConfig | null;
      const stored = tokenStore.get(id);
      if (node?.account?.session.state === 'reauth_required') return { state: 'reauth_required', message: RED._('trakt-config.status.reauth') };
      if (stored?.accessToken) return { state: 'authorized', username: stored.username };
      return { state: 'none' };
    },
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
