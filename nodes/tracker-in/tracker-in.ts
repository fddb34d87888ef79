import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import type { ReadKind, ReadOptions } from '../../lib/provider';
import { HighWaterMarks } from '../../lib/store/high-water-marks';
import { stateStoreFor } from '../shared/state';
import { statusLine } from '../shared/status';
import { isTrackerConfig } from '../shared/tracker-config';

interface TrackerInDef extends NodeDef {
  tracker: string;
  read?: ReadKind;
  types?: string;
  incremental?: boolean;
  output?: 'page' | 'item';
}

const KINDS: readonly ReadKind[] = ['history', 'ratings', 'watchlist', 'collection', 'watching', 'stats', 'recommendations', 'trending', 'popular', 'calendar'];
/** Kinds that are the account's own data and change: only those keep a high-water mark. */
const INCREMENTAL: readonly ReadKind[] = ['history', 'ratings', 'watchlist', 'collection'];

export = function register(RED: NodeAPI): void {
  function TrackerIn(this: Node, def: TrackerInDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = RED.nodes.getNode(def.tracker);
    const tracker = isTrackerConfig(config) ? config : undefined;
    const marks = new HighWaterMarks(stateStoreFor(RED));
    const types = (def.types ?? 'movies,shows').split(',').filter((t): t is 'movies' | 'shows' => t === 'movies' || t === 'shows');
    const perItem = def.output === 'item';
    const status = statusLine(RED, node);
    // One read at a time: two overlapping reads would move the same mark twice.
    let running: Promise<void> = Promise.resolve();

    if (!tracker) status.blocked('tracker-in.status.noConfig');
    tracker?.register(node);

    node.on('input', (msg, send, done) => {
      running = running.then(() => read(msg, send).then(() => done(), (error: unknown) => done(new Error(redact((error as Error).message)))));
    });

    async function read(msg: NodeMessageInFlow, send: (m: NodeMessage | NodeMessage[][]) => void): Promise<void> {
      const m = msg as NodeMessageInFlow & { read?: string; since?: string; from?: string; to?: string };
      const kind = KINDS.includes(m.read as ReadKind) ? (m.read as ReadKind) : (def.read ?? 'history');
      try {
        const reader = tracker?.readerProvider();
        if (!reader) throw new Error(RED._('tracker-in.errors.noTracker'));
        if (reader instanceof Error) throw reader;
        if (!reader.readKinds().includes(kind)) throw new Error(RED._('tracker-in.errors.unsupported', { tracker: reader.label, kind }));
        const history = tracker!.provider();
        const account = history instanceof Error ? node.id : await history.accountKey();
        const markKey = `tracker-in:${node.id}:${account}:${kind}:${types.join('+')}`;
        const incremental = def.incremental !== false && INCREMENTAL.includes(kind) && !m.from;
        const previous = marks.get(markKey);
        const options: ReadOptions = {
          types,
          since: m.since ?? (incremental && previous !== undefined ? new Date(previous * 1000).toISOString() : undefined),
          from: m.from,
          to: m.to,
        };
        let count = 0;
        let pages = 0;
        const kindText = RED._(`tracker-in.kind.${kind}`);
        status.working('tracker-in.status.reading', { kind: kindText, done: 0 });
        const result = await reader.read(kind, options, (page) => {
          count += page.items.length;
          status.working('tracker-in.status.reading', { kind: kindText, done: page.done });
          const pageInfo = { done: page.done, total: page.total };
          if (kind === 'stats') send({ ...RED.util.cloneMessage(msg), payload: page.extra, page: pageInfo } as NodeMessage);
          else if (!page.items.length) return;
          // [[...]]: several messages on the one output (a flat array would mean one per output).
          else if (perItem) send([page.items.map((item) => ({ ...RED.util.cloneMessage(msg), payload: item, page: pageInfo }) as NodeMessage)]);
          else send({ ...RED.util.cloneMessage(msg), payload: page.items, page: pageInfo } as NodeMessage);
          pages += 1;
        });
        // The end of the read: sync-history writes what it holds, csv-export finishes its file.
        if (pages && kind !== 'stats') send({ ...RED.util.cloneMessage(msg), payload: [], complete: true, page: { done: count } } as NodeMessage);
        // The mark moves only after everything up to it was sent.
        if (incremental && result.newest) {
          const newest = Math.floor(Date.parse(result.newest) / 1000);
          if (Number.isFinite(newest)) marks.advance(markKey, newest);
        }
        if (result.unchanged) status.idle('tracker-in.status.unchanged');
        else status.done('tracker-in.status.done', { count, kind: kindText });
      } catch (error) {
        const message = redact((error as Error).message);
        status.failed('tracker-in.status.error', { message: message.slice(0, 60) });
        throw error;
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      tracker?.deregister(node);
      void running.finally(() => done());
    });
  }

  RED.nodes.registerType('clawarr-tracker-in', TrackerIn as unknown as (this: Node, def: NodeDef) => void);
};
