import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import { Matcher } from '../../lib/match/matcher';
import type { MatchProvider } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { validateMediaItems } from '../../lib/schema/validate';
import { idCachesFor } from '../shared/id-caches';
import { stateStoreFor } from '../shared/state';
import { statusLine } from '../shared/status';
import { isTrackerConfig } from '../shared/tracker-config';
import { parseOverrides, type OverrideRow } from './overrides';

interface MatchDef extends NodeDef {
  tracker: string;
  threshold?: number | string;
  overrides?: OverrideRow[];
}

export = function register(RED: NodeAPI): void {
  function MatchNode(this: Node, def: MatchDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = RED.nodes.getNode(def.tracker);
    const tracker = isTrackerConfig(config) ? config : undefined;
    const threshold = Math.min(1, Math.max(0.5, Number(def.threshold) || 0.8));
    const { overrides, problems } = parseOverrides(def.overrides, (problem, subs) => RED._(`match.override.${problem}`, subs));
    for (const problem of problems) node.error(RED._('match.errors.badOverride', problem));
    const store = stateStoreFor(RED);
    const status = statusLine(RED, node);
    let matcher: Matcher | undefined;
    // One message at a time: the cache and the show look-ups are shared between messages.
    let running: Promise<void> = Promise.resolve();

    if (!tracker) status.blocked('match.status.noConfig');
    tracker?.register(node);

    function matcherFor(provider: MatchProvider): Matcher {
      matcher ??= new Matcher(provider, idCachesFor(store, provider.kind), { threshold, overrides });
      return matcher;
    }

    node.on('input', (msg, send, done) => {
      running = running.then(() => handle(msg, send, done));
    });

    async function handle(msg: NodeMessageInFlow, send: (m: Array<NodeMessage | NodeMessage[] | null>) => void, done: (err?: Error) => void): Promise<void> {
      const { valid, invalid } = validateMediaItems(msg.payload);
      for (const problem of invalid) node.error(RED._('match.errors.invalidItem', { reason: problem.reason }), msg);
      if (!valid.length) {
        // The end-of-read marker (empty, msg.complete) goes on, so sync-history downstream can flush.
        if (Object.prototype.hasOwnProperty.call(msg, 'complete') && !invalid.length) send([msg, null]);
        done();
        return;
      }
      try {
        const provider = tracker?.matchProvider();
        if (!provider) throw new Error(RED._('match.errors.noTracker'));
        if (provider instanceof Error) throw provider;
        const m = matcherFor(provider);
        const results = await m.matchAll(valid, (doneCount: number, total: number) => {
          status.working('match.status.matching', { done: doneCount, total });
        });
        m.save();
        const matched: MediaItem[] = [];
        const unmatched: NodeMessage[] = [];
        for (const result of results) {
          if (result.matched) matched.push(result.item);
          else unmatched.push({ payload: result.item, reason: result.reason, candidates: result.candidates, topic: msg.topic } as NodeMessage);
        }
        (unmatched.length ? status.partial : status.done)('match.status.done', { matched: matched.length, unmatched: unmatched.length });
        if (matched.length) {
          msg.payload = Array.isArray(msg.payload) ? matched : matched[0];
          send([msg, null]);
        }
        if (unmatched.length) send([null, unmatched]);
        done();
      } catch (error) {
        // Nothing lost: every valid item leaves on output 2 with the reason, and a Catch node sees the error.
        const reason = redact((error as Error).message);
        status.failed('match.status.error', { message: reason.slice(0, 60) });
        send([null, valid.map((item) => ({ payload: item, reason, candidates: [], topic: msg.topic }) as NodeMessage)]);
        done(new Error(reason));
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      tracker?.deregister(node);
      void running.finally(() => {
        matcher?.save();
        done();
      });
    });
  }

  RED.nodes.registerType('clawarr-match', MatchNode as unknown as (this: Node, def: NodeDef) => void);
};
