import type { Request, Response } from 'express';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { redact, registerSecret } from '../../lib/core/redact';
import { TautulliClient } from '../../lib/tautulli/client';
import { MetadataCache } from '../../lib/tautulli/metadata-cache';
import { stateStoreFor } from '../shared/state';
import type { TautulliConfigNode } from '../shared/tautulli-server';

interface TautulliConfigDef extends NodeDef {
  url?: string;
}

const TYPE = 'clawarr-tautulli-config';
const PASSWORD_PLACEHOLDER = '__PWRD__';

export = function register(RED: NodeAPI): void {
  // The same optional `clawarr` section of settings.js that trakt-config reads (tests make it fast).
  const settings = ((RED.settings as unknown as { clawarr?: { timeoutMs?: number; backoffBaseMs?: number } }).clawarr ?? {});
  function TautulliConfig(this: TautulliConfigNode, def: TautulliConfigDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    node.url = (def.url || '').trim();
    const apiKey = node.credentials?.apiKey;
    registerSecret(apiKey);
    let client: TautulliClient | undefined;
    let cache: MetadataCache | undefined;

    node.client = () => {
      if (!node.url) return new Error(RED._('tautulli-config.errors.missingUrl'));
      if (!apiKey) return new Error(RED._('tautulli-config.errors.missingKey'));
      client ??= new TautulliClient({ url: node.url, apiKey, timeoutMs: settings.timeoutMs, backoffBaseMs: settings.backoffBaseMs });
      return client;
    };
    node.metadata = () => {
      const c = node.client();
      if (c instanceof Error) return c;
      cache ??= new MetadataCache(c, stateStoreFor(RED));
      return cache;
    };

    // A redeploy builds a new client: this one's limiter (and its timer) must go with the node.
    node.on('close', (done: () => void) => {
      cache?.save();
      const closing = client?.close();
      client = undefined;
      cache = undefined;
      void Promise.resolve(closing).finally(() => done());
    });
  }

  RED.nodes.registerType(TYPE, TautulliConfig as unknown as (this: Node, def: NodeDef) => void, {
    credentials: { apiKey: { type: 'password' } },
  });

  // "Test connection" in the editor: works for an undeployed node too (url and key from the dialog).
  RED.httpAdmin.post(`/${TYPE}/:id/test`, RED.auth.needsPermission(`${TYPE}.write`), (req: Request, res: Response) => {
    void (async () => {
      const id = String(req.params.id);
      const body = (req.body ?? {}) as { url?: string; apiKey?: string };
      const saved = (RED.nodes.getCredentials(id) ?? {}) as { apiKey?: string };
      const live = RED.nodes.getNode(id) as TautulliConfigNode | null;
      const url = (body.url || live?.url || '').trim();
      const apiKey = (body.apiKey && body.apiKey !== PASSWORD_PLACEHOLDER ? body.apiKey : saved.apiKey || '').trim();
      if (!/^https?:\/\//i.test(url)) {
        res.status(400).json({ ok: false, message: RED._(url ? 'tautulli-config.errors.badUrl' : 'tautulli-config.errors.missingUrl') });
        return;
      }
      if (!apiKey) {
        res.status(400).json({ ok: false, message: RED._('tautulli-config.errors.missingKey') });
        return;
      }
      registerSecret(apiKey);
      const client = new TautulliClient({ url, apiKey, timeoutMs: 10_000, backoffBaseMs: settings.backoffBaseMs });
      try {
        const result = await client.testConnection();
        res.json({ ok: true, message: result.message });
      } catch (error) {
        res.status(502).json({ ok: false, message: redact((error as Error).message) });
      } finally {
        void client.close();
      }
    })();
  });
};
