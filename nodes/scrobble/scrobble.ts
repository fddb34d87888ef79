import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import { Matcher } from '../../lib/match/matcher';
import type { MediaItem } from '../../lib/schema/types';
import { describeProblem } from '../../lib/schema/validate';
import { Scrobbler, type ScrobbleOutcome } from '../../lib/scrobble/scrobbler';
import { SyncLedger } from '../../lib/sync/ledger';
import { idCachesFor } from '../shared/id-caches';
import { stateStoreFor } from '../shared/state';
import { isBlocked, statusLine } from '../shared/status';
import { isTrackerConfig } from '../shared/tracker-config';

interface ScrobbleDef extends NodeDef {
  tracker: string;
  mode?: 'scrobble' | 'checkin';
  coalesceSeconds?: number | string;
}

type Send = (msg: Array<NodeMessage | NodeMessage[] | null>) => void;

export = function register(RED: NodeAPI): void {
  function ScrobbleNode(this: Node, def: ScrobbleDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const config = RED.nodes.getNode(def.tracker);
    const tracker = isTrackerConfig(config) ? config : undefined;
    const coalesceMs = Math.min(30, Math.max(0, Number(def.coalesceSeconds ?? 2))) * 1000;
    const mode = def.mode === 'checkin' ? 'checkin' : 'scrobble';
    const store = stateStoreFor(RED);
    const status = statusLine(RED, node);
    let scrobbler: Promise<Scrobbler> | undefined;
    let matcher: Matcher | undefined;

    if (!tracker) status.blocked('scrobble.status.noConfig');
    tracker?.register(node);

    /** Built on first use: the ledger needs the account's key, which may need one request. */
    function scrobblerFor(): Promise<Scrobbler> {
      scrobbler ??= (async () => {
        const provider = tracker?.scrobbleProvider();
        const history = tracker?.provider();
        if (!provider || !history) throw new Error(RED._('scrobble.errors.noTracker'));
        if (provider instanceof Error) throw provider;
        if (history instanceof Error) throw history;
        const ledger = SyncLedger.open(store, await history.accountKey());
        const created = new Scrobbler(provider, { coalesceMs, mode, ledger });
        created.on('status', showStatus);
        return created;
      })();
      // A failure (not authorized yet) must not stick: the next event tries again.
      scrobbler.catch(() => (scrobbler = undefined));
      return scrobbler;
    }

    /** Events without tracker ids are matched like `match` does, with the same cache. */
    async function withIds(item: MediaItem): Promise<MediaItem | string> {
      const provider = tracker?.matchProvider();
      if (!provider || provider instanceof Error) return item;
      matcher ??= new Matcher(provider, idCachesFor(store, provider.kind));
      const result = await matcher.match(item);
      if (result.matched) return result.item;
      return RED._('scrobble.reasons.notMatched', { reason: result.reason });
    }

    node.on('input', (msg, send, done) => {
      void handle(msg, send).then(
        () => done(),
        (error: unknown) => done(new Error(redact((error as Error).message))),
      );
    });

    async function handle(msg: NodeMessageInFlow, send: Send): Promise<void> {
      const item = msg.payload as MediaItem;
      // Beyond a media item a playback event needs an action; its progress is checked by the engine.
      const problem = describeProblem(item) ?? (item.action ? undefined : RED._('scrobble.reasons.noAction'));
      if (problem) {
        node.error(RED._('scrobble.errors.invalidEvent', { reason: problem }), msg);
        send([null, { ...msg, reason: problem }]);
        return;
      }
      try {
        const matched = await withIds(item);
        if (typeof matched === 'string') {
          send([null, { ...msg, reason: matched }]);
          return;
        }
        const outcome = await (await scrobblerFor()).handle({ item: matched, user: matched.source?.user ?? 'default' });
        route(outcome, msg, send);
      } catch (error) {
        const reason = redact((error as Error).message);
        status.failed('scrobble.status.error', { message: reason.slice(0, 60) });
        send([null, { ...msg, reason }]);
        throw error;
      }
    }

    function route(outcome: ScrobbleOutcome, msg: NodeMessageInFlow, send: Send): void {
      // A sent outcome can still carry a note ("another check-in is active until …"): it travels as msg.reason.
      if (outcome.sent) send([{ ...msg, payload: outcome.result, event: msg.payload, play: outcome.play, ...(outcome.reason ? { reason: outcome.reason } : {}) } as NodeMessage, null]);
      else send([null, { ...msg, reason: outcome.reason, superseded: outcome.superseded === true } as NodeMessage]);
    }

    function showStatus(session: { title?: string; progress?: number; lastAction?: string }): void {
      const title = (session.title ?? '').slice(0, 40);
      const progress = Math.round(session.progress ?? 0);
      switch (session.lastAction) {
        case 'start':
          status.done('scrobble.status.playing', { title, progress });
          break;
        case 'pause':
          status.waiting('scrobble.status.paused', { title, progress });
          break;
        case 'scrobble':
          status.done('scrobble.status.scrobbled', { title });
          break;
        case 'checkin':
          status.done('scrobble.status.checkedIn', { title });
          break;
        default: {
          // A refused token must stay visible: "re-authorization required", not "idle".
          const auth = tracker?.authStatus();
          if (auth && isBlocked(auth)) status.show(auth);
          else status.idle('scrobble.status.idle');
        }
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      tracker?.deregister(node);
      // Sends the last state of coalesced sessions, so a stop that just arrived is not lost.
      void Promise.resolve(scrobbler)
        .then((s) => s?.close())
        .catch(() => undefined)
        .finally(() => {
          matcher?.save();
          done();
        });
    });
  }

  RED.nodes.registerType('clawarr-scrobble', ScrobbleNode as unknown as (this: Node, def: NodeDef) => void);
};

