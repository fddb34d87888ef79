import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { AccountLimiter as Limiter } from '../../lib/core/limiter';
import { redact, registerSecret } from '../../lib/core/redact';
import { createSimklAccount, SIMKL_API_URL, simklHttp, type SimklAccount } from '../../lib/simkl/account';
import { SimklClient } from '../../lib/simkl/client';
import { SimklLists } from '../../lib/simkl/lists';
import { SimklReader } from '../../lib/simkl/reads';
import { authorizeUrl, exchangeCode, type SimklApp } from '../../lib/simkl/oauth';
import { PinAuthorization } from '../../lib/simkl/pin-authorization';
import { SimklSession, type SimklTokens } from '../../lib/simkl/session';
import { startupTokens } from '../../lib/store/token-store';
import { clawarrSettings, lazyFrom, PASSWORD_PLACEHOLDER, registerAuthRoutes, shareAccount } from '../shared/account-config';
import { tokenStoreFor } from '../shared/state';
import type { TrackerConfigNode } from '../shared/tracker-config';

interface SimklConfigDef extends NodeDef {
  apiUrl?: string;
  authorizedAs?: string;
}

interface SimklCredentials {
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
}

interface SimklConfig extends TrackerConfigNode {
  credentials: SimklCredentials;
  apiUrl: string;
  account?: SimklAccount;
}

const TYPE = 'clawarr-simkl-config';
/** Where Simkl sends the browser back in the code flow; the user registers this URL in their Simkl app. */
const CALLBACK = `/${TYPE}/auth/callback`;

export = function register(RED: NodeAPI): void {
  const tokenStore = tokenStoreFor(RED);
  const settings = clawarrSettings(RED);

  const persistTokens = async (id: string, tokens: SimklTokens): Promise<void> => {
    tokenStore.set(id, tokens);
    const raw = (RED.nodes.getCredentials(id) ?? {}) as SimklCredentials;
    await RED.nodes.addCredentials(id, { ...raw, accessToken: tokens.accessToken });
  };

  /** After any authorization: the account's name (one request), the tokens saved, the live node told. */
  async function authorized(id: string, http: ReturnType<typeof simklHttp>, app: SimklApp, tokens: SimklTokens): Promise<string | undefined> {
    const session = new SimklSession({ app, tokens, persist: () => undefined });
    const account = await new SimklClient(http, session).settings();
    const withName: SimklTokens = { ...tokens, username: account.user?.name, accountId: Number(account.account?.id) || undefined };
    await persistTokens(id, withName);
    const node = RED.nodes.getNode(id) as SimklConfig | null;
    if (node?.account) await node.account.session.setTokens(withName);
    return withName.username;
  }

  function SimklConfigNode(this: SimklConfig, def: SimklConfigDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    node.apiUrl = def.apiUrl || SIMKL_API_URL;
    const creds = node.credentials ?? {};
    registerSecret(creds.clientSecret);

    if (creds.clientId) {
      const pasted = creds.accessToken ? { accessToken: creds.accessToken } : undefined;
      const tokens = startupTokens(pasted, tokenStore.get(node.id));
      node.account = createSimklAccount({
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
      if (!node.account) return new Error(RED._('simkl-config.errors.noApp'));
      if (node.account.session.state === 'unauthorized') return new Error(RED._('simkl-config.errors.notAuthorized'));
      return node.account.client;
    };
    const client = () => node.provider() as SimklClient | Error;
    node.matchProvider = client;
    node.scrobbleProvider = client;
    node.listProvider = lazyFrom(client, (c) => new SimklLists(c));
    node.readerProvider = lazyFrom(client, (c) => new SimklReader(c));
    const users = shareAccount(RED, node, 'simkl-config', () => node.account, () => {
      authorizations.get(node.id)?.cancel();
      authorizations.delete(node.id);
      tokenStore.delete(node.id);
    });
    node.account?.session.on('state', () => users.showAll());
  }

  RED.nodes.registerType(TYPE, SimklConfigNode as unknown as (this: Node, def: NodeDef) => void, {
    credentials: {
      clientId: { type: 'text' },
      clientSecret: { type: 'password' },
      accessToken: { type: 'password' },
    },
  });

  function appFrom(id: string, body: Record<string, string | undefined>): { app: SimklApp; apiUrl: string } | { error: string } {
    const saved = (RED.nodes.getCredentials(id) ?? {}) as SimklCredentials;
    const live = RED.nodes.getNode(id) as SimklConfig | null;
    const clientId = (body.clientId || saved.clientId || '').trim();
    const clientSecret = (body.clientSecret && body.clientSecret !== PASSWORD_PLACEHOLDER ? body.clientSecret : saved.clientSecret || '').trim();
    const apiUrl = (body.apiUrl || live?.apiUrl || SIMKL_API_URL).trim();
    if (!clientId) return { error: RED._('simkl-config.errors.missingApp') };
    if (!/^https?:\/\//i.test(apiUrl)) return { error: RED._('simkl-config.errors.badUrl') };
    registerSecret(clientSecret);
    return { app: { clientId, clientSecret: clientSecret || undefined }, apiUrl };
  }

  // PIN flow ("Authorize with Simkl"), the same endpoints and states as Trakt's device flow.
  const authorizations = registerAuthRoutes(RED, TYPE, {
    create(id, body) {
      const found = appFrom(id, body);
      if ('error' in found) return found;
      const limiter = new Limiter();
      const http = simklHttp(found.apiUrl, found.app.clientId, limiter);
      return new PinAuthorization({
        http,
        app: found.app,
        pollIntervalMs: settings.devicePollMs,
        onEnd: () => void limiter.stop(),
        onAuthorized: (tokens) => authorized(id, http, found.app, tokens),
      });
    },
    idle(id) {
      const node = RED.nodes.getNode(id) as SimklConfig | null;
      const flow = codeFlows.get(id);
      // A finished code flow must not hide a token refused since: only pending/error answers stand over it.
      const superseded = flow?.state === 'authorized' && node?.account?.session.state === 'reauth_required';
      if (flow && !superseded && Date.now() - flow.at < 15 * 60_000) return { state: flow.state, username: flow.username, message: flow.message };
      const stored = tokenStore.get(id);
      if (node?.account?.session.state === 'reauth_required') return { state: 'reauth_required', message: RED._('simkl-config.status.reauth') };
      if (stored?.accessToken) return { state: 'authorized', username: stored.username };
      return { state: 'none' };
    },
  });

  // Code flow, for users who registered a redirect URI: the browser goes to Simkl and comes back here.
  // The callback carries no admin token (a browser redirect), so a one-time state ties it to a start.
  const pendingCodes = new Map<string, { id: string; app: SimklApp; apiUrl: string; redirectUri: string; at: number }>();

  /** What the status route reports for a code flow, which runs outside the PIN authorizations. */
  const codeFlows = new Map<string, { state: 'pending' | 'authorized' | 'error'; username?: string; message?: string; at: number }>();

  // The editor asks with its admin token (a new browser tab would carry none) and opens the answer itself.
  RED.httpAdmin.post(`/${TYPE}/:id/auth/redirect`, RED.auth.needsPermission(`${TYPE}.write`), (req: Request, res: Response) => {
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const found = appFrom(id, body);
    if ('error' in found) {
      res.status(400).json({ message: found.error });
      return;
    }
    if (!found.app.clientSecret) {
      res.status(400).json({ message: RED._('simkl-config.errors.missingSecret') });
      return;
    }
    // The editor knows the address the browser uses (behind a proxy too); it must point at our callback.
    const redirectUri = String(body.redirectUri ?? '');
    if (!/^https?:\/\//i.test(redirectUri) || !redirectUri.endsWith(CALLBACK)) {
      res.status(400).json({ message: RED._('simkl-config.errors.badRedirect', { callback: CALLBACK }) });
      return;
    }
    const state = randomBytes(16).toString('hex');
    for (const [key, pending] of pendingCodes) if (Date.now() - pending.at > 15 * 60_000) pendingCodes.delete(key);
    pendingCodes.set(state, { id, app: found.app, apiUrl: found.apiUrl, redirectUri, at: Date.now() });
    codeFlows.set(id, { state: 'pending', at: Date.now() });
    res.json({ url: authorizeUrl({ clientId: found.app.clientId, redirectUri, state, apiUrl: found.apiUrl }) });
  });

  RED.httpAdmin.get(CALLBACK, (req: Request, res: Response) => {
    void (async () => {
      const state = String(req.query.state ?? '');
      const pending = pendingCodes.get(state);
      pendingCodes.delete(state);
      const page = (text: string) => `<!doctype html><meta charset="utf-8"><title>clawarr</title><p>${text.replace(/</g, '&lt;')}</p>`;
      if (!pending || typeof req.query.code !== 'string') {
        const reason = String(req.query.error ?? RED._('simkl-config.errors.unknownRequest'));
        if (pending) codeFlows.set(pending.id, { state: 'error', message: reason, at: Date.now() });
        res.status(400).send(page(RED._('simkl-config.auth.callbackFailed', { reason })));
        return;
      }
      const limiter = new Limiter();
      try {
        const http = simklHttp(pending.apiUrl, pending.app.clientId, limiter);
        const tokens = await exchangeCode(http, pending.app, req.query.code, pending.redirectUri);
        const username = await authorized(pending.id, http, pending.app, tokens);
        codeFlows.set(pending.id, { state: 'authorized', username, at: Date.now() });
        res.send(page(RED._('simkl-config.auth.callbackOk', { username: username ?? '' })));
      } catch (error) {
        const reason = redact((error as Error).message);
        codeFlows.set(pending.id, { state: 'error', message: reason, at: Date.now() });
        res.status(502).send(page(RED._('simkl-config.auth.callbackFailed', { reason })));
      } finally {
        void limiter.stop();
      }
    })();
  });
};
