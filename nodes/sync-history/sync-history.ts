import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { ClawarrError } from '../../lib/core/errors';
import { redact } from '../../lib/core/redact';
import type { MediaItem } from '../../lib/schema/types';
import { validateMediaItems } from '../../lib/schema/validate';
import { FlushQueue } from '../../lib/sync/flush-queue';
import { HistorySync, type SyncReport } from '../../lib/sync/history-sync';
import { ListSync } from '../../lib/sync/list-sync';
import type { ListKind } from '../../lib/provider';
import { SyncLedger } from '../../lib/sync/ledger';
import { stateStoreFor } from '../shared/state';
import { isBlocked, statusLine } from '../shared/status';
import { isTrackerConfig } from '../shared/tracker-config';

interface SyncHistoryDef extends NodeDef {
  tracker: string;
  /** What to write: history (plays, the default), or the ratings, watchlist or collection. */
  what?: 'history' | ListKind;
  batchSize?: number | string;
  idleSeconds?: number | string;
  dryRun?: boolean;
  undated?: 'reject' | 'unknown';
  rewatches?: 'all' | 'first';
}

/** One input message's share of a flush: its valid items and the callbacks to finish it. */
interface Pending {
  msg: NodeMessageInFlow;
  items: MediaItem[];
  send: (msg: Array<NodeMessage | NodeMessage[] | null>) => void;
  done: (err?: Error) => void;
  /** Parts of the message still waiting (a message can be split across flushes); done() at 0. */
  track: { open: number };
}

/** Splits a message's items so a flush writes whole batches; both parts finish the same message. */
function splitPending(entry: Pending, size: number): [Pending, Pending] {
  entry.track.open += 1;
  return [
    { ...entry, items: entry.items.slice(0, size) },
    { ...entry, items: entry.items.slice(size) },
  ];
}

export = function register(RED: NodeAPI): void {
  function SyncHistoryNode(this: Node, def: SyncHistoryDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = RED.nodes.getNode(def.tracker);
    const tracker = isTrackerConfig(config) ? config : undefined;
    const batchSize = clamp(Number(def.batchSize) || 100, 1, 500);
    const idleMs = clamp(Number(def.idleSeconds ?? 2), 0, 60) * 1000;
    const options = { batchSize, dryRun: def.dryRun === true, undated: def.undated === 'unknown' ? 'unknown' : 'reject', rewatches: def.rewatches === 'first' ? 'first' : 'all' } as const;
    const store = stateStoreFor(RED);
    const what: 'history' | ListKind = def.what === 'ratings' || def.what === 'watchlist' || def.what === 'collection' ? def.what : 'history';
    // The rate-limit countdown is shown over the other statuses, which come back when it ends.
    const status = statusLine(RED, node);
    let waitTimer: NodeJS.Timeout | undefined;

    if (!tracker) status.blocked('sync-history.status.noConfig');
    tracker?.register(node);

    const onPaused = (until: number) => showWait(until);
    tracker?.limiter()?.gate.on('paused', onPaused);

    function showWait(until: number): void {
      const tick = () => {
        const seconds = Math.ceil((until - Date.now()) / 1000);
        if (seconds <= 0) {
          waitTimer = undefined;
          status.endOverlay();
          return;
        }
        status.overlay('waiting', 'sync-history.status.waiting', { seconds });
        waitTimer = setTimeout(tick, 1000);
      };
      if (waitTimer) clearTimeout(waitTimer);
      tick();
    }

    const queue = new FlushQueue<Pending>({ flushAt: batchSize, idleMs, sizeOf: (entry) => entry.items.length, split: splitPending, flush: (entries) => flush(entries) });

    async function flush(entries: Pending[]): Promise<void> {
      const items = entries.flatMap((entry) => entry.items);
      const first = entries[0];
      let report: SyncReport;
      let errored = false;
      let label = RED._('sync-history.reasons.theTracker');
      try {
        const provider = tracker?.provider();
        if (!provider) throw new Error(RED._('sync-history.errors.noTracker'));
        if (provider instanceof Error) throw provider;
        label = provider.label;
        const ledger = SyncLedger.open(store, await provider.accountKey());
        const progress = (done: number, total: number) => status.working('sync-history.status.syncing', { done, total });
        if (what === 'history') {
          report = await new HistorySync(provider, ledger, options).sync(items, progress);
        } else {
          const lists = tracker!.listProvider();
          if (lists instanceof Error) throw lists;
          if (!lists.lists().includes(what)) throw new Error(RED._('sync-history.errors.noCollection'));
          report = await new ListSync(lists, ledger, what, options).sync(items, progress);
        }
      } catch (error) {
        // Nothing could be tried: every item leaves on output 2 and the error reaches Catch nodes.
        const reason = redact((error as Error).message);
        errored = true;
        showError(error, reason);
        report = { added: [], skipped: [], notFound: [], wouldAdd: [], failed: items.map((item) => ({ item, reason })), dryRun: options.dryRun, writes: 0, reads: 0 };
        node.error(reason, first.msg);
      }
      if (waitTimer) clearTimeout(waitTimer);
      waitTimer = undefined;
      status.endOverlay();
      // A token refused during the writes ends in a report (the plays fail one by one), not in an
      // exception: the account's "re-authorization required" must still be what the node shows.
      const auth = tracker?.authStatus();
      if (auth && isBlocked(auth)) status.show(auth);
      else if (!errored) showDone(report);
      first.send([summaryMessage(report, first.msg), null]);
      const notSynced: NodeMessage[] = [
        ...report.notFound.map((item) => ({ payload: item, reason: RED._('sync-history.reasons.notFound', { tracker: label }), topic: first.msg.topic })),
        ...report.failed.map(({ item, reason }) => ({ payload: item, reason: redact(reason), topic: first.msg.topic })),
      ];
      if (notSynced.length) first.send([null, notSynced]);
      for (const entry of entries) if (--entry.track.open === 0) entry.done();
    }

    function showDone(report: SyncReport): void {
      if (report.dryRun) {
        status.idle('sync-history.status.dryRun', { count: report.wouldAdd.length, skipped: report.skipped.length });
        return;
      }
      // Not found and failed items went to output 2: partly done.
      const outcome = report.failed.length || report.notFound.length ? status.partial : status.done;
      outcome('sync-history.status.done', { added: report.added.length, skipped: report.skipped.length, notFound: report.notFound.length, failed: report.failed.length });
    }

    function showError(error: unknown, reason: string): void {
      if (error instanceof ClawarrError && error.code === 'auth_required') status.blocked('sync-history.status.reauth');
      else status.failed('sync-history.status.error', { message: reason.slice(0, 60) });
    }

    node.on('input', (msg, send, done) => {
      const { valid, invalid } = validateMediaItems(msg.payload);
      for (const problem of invalid) node.error(RED._('sync-history.errors.invalidItem', { reason: problem.reason }), msg);
      const complete = Object.prototype.hasOwnProperty.call(msg, 'complete');
      if (!valid.length && !complete) {
        done();
        return;
      }
      if (!valid.length && complete) {
        void queue.flush().then(() => done());
        return;
      }
      queue.add([{ msg, items: valid, send, done, track: { open: 1 } }], complete);
      if (queue.waiting) status.waiting('sync-history.status.queued', { count: queue.waiting });
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      tracker?.limiter()?.gate.off('paused', onPaused);
      if (waitTimer) clearTimeout(waitTimer);
      // Finish what was already handed over, so its ledger entries are written before shutdown.
      // Deregister only afterwards: the config node keeps its limiter running until its users are gone.
      void queue.flush().finally(() => {
        void queue.close();
        tracker?.deregister(node);
        done();
      });
    });
  }

  /**
   * The summary carries the first input message's properties (so http in → http response and
   * msg.topic keep working); a copy, because one message can be split across two flushes.
   */
  function summaryMessage(report: SyncReport, origin: NodeMessageInFlow): NodeMessage {
    const msg: NodeMessage & { items?: unknown } = { ...origin };
    msg.payload = {
      dryRun: report.dryRun,
      added: report.added.length,
      skipped: report.skipped.length,
      notFound: report.notFound.length,
      failed: report.failed.length,
      ...(report.dryRun ? { wouldAdd: report.wouldAdd.length } : {}),
      requests: { writes: report.writes, reads: report.reads },
    };
    msg.items = report.dryRun ? { wouldAdd: report.wouldAdd, skipped: report.skipped } : { added: report.added, skipped: report.skipped };
    return msg;
  }

  function clamp(value: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, Number.isFinite(value) ? value : min));
  }

  RED.nodes.registerType('clawarr-sync-history', SyncHistoryNode as unknown as (this: Node, def: NodeDef) => void);
};
