import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import type { MediaItem } from '../../lib/schema/types';
import { safeName } from '../../lib/store/state-store';
import { HistoryReader, type ReadOptions } from '../../lib/tautulli/reader';
import { fromPlexWebhook, fromTautulliWebhook } from '../../lib/tautulli/webhook';
import { stateStoreFor } from '../shared/state';
import { statusLine } from '../shared/status';
import type { TautulliConfigNode } from '../shared/tautulli-server';

interface TautulliInDef extends NodeDef {
  server: string;
  mode?: 'history' | 'webhook';
  plexUsers?: string;
  /** The name before 0.1.0's editor fix; Node-RED's editor drops it, but a hand-written flow may carry it. */
  users?: string;
  mediaTypes?: string;
  minWatched?: string;
  grouping?: boolean;
  output?: 'page' | 'item';
}

interface ReaderFile {
  hwm?: number;
  seen: number[];
}

export = function register(RED: NodeAPI): void {
  function TautulliIn(this: Node, def: TautulliInDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const server = RED.nodes.getNode(def.server) as TautulliConfigNode | null;
    const store = stateStoreFor(RED);
    const stateFile = `tautulli-in-${safeName(node.id)}.json`;
    const options: ReadOptions = {
      users: splitList(def.plexUsers ?? def.users),
      mediaTypes: (splitList(def.mediaTypes) ?? ['movie', 'episode']).filter((t): t is 'movie' | 'episode' => t === 'movie' || t === 'episode'),
      minWatched: def.minWatched && def.minWatched !== 'watched' && Number.isFinite(Number(def.minWatched)) ? Number(def.minWatched) : 'watched',
      grouping: def.grouping !== false,
    };
    const perItem = def.output === 'item';
    const status = statusLine(RED, node);
    // Reads run one after another: two overlapping reads would emit the same new plays twice.
    let running: Promise<void> = Promise.resolve();

    if (!server) status.blocked('tautulli-in.status.noConfig');

    node.on('input', (msg, send, done) => {
      if (def.mode === 'webhook') {
        handleWebhook(msg, send, done);
        return;
      }
      running = running.then(() => readHistory(msg, send, done));
    });

    async function readHistory(msg: NodeMessageInFlow, send: (m: NodeMessage | Array<NodeMessage | NodeMessage[] | null>) => void, done: (err?: Error) => void): Promise<void> {
      try {
        if (!server) throw new Error(RED._('tautulli-in.errors.noServer'));
        const client = server.client();
        if (client instanceof Error) throw client;
        const metadata = server.metadata();
        if (metadata instanceof Error) throw metadata;
        const reader = new HistoryReader(client, metadata, {
          load: () => store.readJson<ReaderFile>(stateFile, { seen: [] }),
          save: (state) => store.writeJson(stateFile, state),
        });
        const since = sinceOf((msg as { since?: unknown }).since);
        status.working('tautulli-in.status.reading', { done: 0, total: '?' });
        const result = await reader.read({ ...options, since }, (page) => {
          for (const { reason } of page.rejected) node.error(RED._('tautulli-in.errors.badRow', { reason }), msg);
          status.working('tautulli-in.status.reading', { done: page.done, total: page.total });
          emit(page.items, { done: page.done, total: page.total });
        });
        // The end of the read: sync-history downstream writes what it holds at once, csv-export finishes its file.
        if (result.items) send({ ...RED.util.cloneMessage(msg), payload: [], complete: true, page: { done: result.items, total: result.items } });
        if (result.items) status.done('tautulli-in.status.done', { count: result.items });
        else status.idle('tautulli-in.status.none');
        done();
      } catch (error) {
        const message = redact((error as Error).message);
        status.failed('tautulli-in.status.error', { message: message.slice(0, 60) });
        done(new Error(message));
      }

      function emit(items: MediaItem[], page: { done: number; total: number }): void {
        if (!items.length) return;
        if (perItem) {
          send([items.map((item) => ({ ...RED.util.cloneMessage(msg), payload: item, page }))]);
        } else {
          send({ ...RED.util.cloneMessage(msg), payload: items, page });
        }
      }
    }

    function handleWebhook(msg: NodeMessageInFlow, send: (m: NodeMessage) => void, done: (err?: Error) => void): void {
      const body = webhookBody(msg.payload);
      const parsed = isPlexPayload(body) ? fromPlexWebhook(body) : fromTautulliWebhook(body);
      if (!parsed.item) {
        done(new Error(RED._('tautulli-in.errors.badWebhook', { reason: parsed.error ?? RED._('tautulli-in.errors.unreadable') })));
        return;
      }
      const item = parsed.item;
      const title = item.type === 'episode' ? `${item.show?.title ?? ''} S${item.season}E${item.episode}` : item.title ?? '';
      status.done('tautulli-in.status.event', { action: RED._(`tautulli-in.action.${item.action ?? 'watched'}`), title });
      msg.payload = item;
      send(msg);
      done();
    }
  }

  RED.nodes.registerType('clawarr-tautulli-in', TautulliIn as unknown as (this: Node, def: NodeDef) => void);
};

function splitList(value: string | undefined): string[] | undefined {
  const list = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

/** msg.since: an ISO date or epoch seconds; anything else is ignored (the high-water mark applies). */
function sinceOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim()) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
    if (/^\d+$/.test(value.trim())) return Number(value);
  }
  return undefined;
}

/** Plex posts multipart: with "accept file uploads", the http in node gives the JSON as a string field. */
function webhookBody(payload: unknown): unknown {
  let body = payload;
  if (body && typeof body === 'object' && typeof (body as { payload?: unknown }).payload === 'string') body = (body as { payload: string }).payload;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }
  return body;
}

function isPlexPayload(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { event?: unknown }).event === 'string' && 'Metadata' in body;
}
