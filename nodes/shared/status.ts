/*
 * The status under every clawarr node: one meaning per colour and shape, the same in every node.
 *
 *   blue dot     working   a read, a match, a sync, a file or a token refresh is running now
 *   green dot    done      the last run went through completely (also: authorized, playing, checked in)
 *   yellow dot   partial   the last run finished, but some items went to output 2: look at them
 *   yellow ring  waiting   it carries on by itself: a rate-limit pause, items queued for the idle time, paused playback
 *   red ring     failed    the last message failed (tracker down, file missing); the next one may work
 *   red dot      blocked   nothing works until you act: no account or server picked, (re-)authorization required
 *   grey ring    idle      nothing to do: nothing new, nothing playing, a dry run that wrote nothing
 *
 * Why: a flow shows several clawarr nodes side by side (tautulli-in → match → sync-history) and a user should read
 * the whole canvas at a glance, without opening the help of each node. A colour alone would be ambiguous where one
 * colour means two things, so the shape tells those apart: yellow is either "look at output 2" (a dot, it stays) or
 * "waiting" (a ring, it goes away by itself); red is either "this message failed" (a ring: the next message may
 * work) or "blocked" (a dot: it stays red until someone fixes the config or authorizes again). Blue, green and grey
 * keep the meanings Node-RED's core nodes give them (http request: blue while requesting; MQTT: green connected).
 * Idle is a grey ring rather than a cleared status so that "looked, nothing to do" stays distinguishable from a node
 * that never ran.
 *
 * Every node sets its status through `statusLine` (texts are i18n keys, rendered with RED._), and the account
 * status a config node gives its users is built with `statusOf`: no node writes fill or shape literals itself.
 */
import type { Node, NodeAPI, NodeStatus } from 'node-red';

export type StatusMeaning = 'working' | 'done' | 'partial' | 'waiting' | 'failed' | 'blocked' | 'idle';

const LOOKS: Record<StatusMeaning, Required<Pick<NodeStatus, 'fill' | 'shape'>>> = {
  working: { fill: 'blue', shape: 'dot' },
  done: { fill: 'green', shape: 'dot' },
  partial: { fill: 'yellow', shape: 'dot' },
  waiting: { fill: 'yellow', shape: 'ring' },
  failed: { fill: 'red', shape: 'ring' },
  blocked: { fill: 'red', shape: 'dot' },
  idle: { fill: 'grey', shape: 'ring' },
};

/** A status with the look of `meaning` and a text already rendered (for statuses handed from node to node). */
export function statusOf(meaning: StatusMeaning, text: string): NodeStatus {
  return { ...LOOKS[meaning], text };
}

/** Shows `status` on a node that is not the caller: a config node telling its users about the account. */
export function showOn(node: Node, status: NodeStatus): void {
  node.status(status);
}

/** Whether `status` says the node cannot work at all until someone acts (it must not be covered by "idle"). */
export function isBlocked(status: NodeStatus | undefined): boolean {
  return status?.fill === LOOKS.blocked.fill && status?.shape === LOOKS.blocked.shape;
}

/** Substitutions for the i18n text (RED._ takes strings and numbers). */
export type Subs = Record<string, string | number>;

type Show = (key: string, subs?: Subs) => void;

export interface StatusLine {
  working: Show;
  done: Show;
  partial: Show;
  waiting: Show;
  failed: Show;
  blocked: Show;
  idle: Show;
  /** A status built elsewhere: the account's, from its config node's authStatus(). */
  show(status: NodeStatus): void;
  /**
   * Shows a passing status (a rate-limit countdown) over the current one. What is set meanwhile is remembered, not
   * shown, and `endOverlay` shows it again.
   */
  overlay(meaning: StatusMeaning, key: string, subs?: Subs): void;
  endOverlay(): void;
}

/** The status of one node; every text is an i18n key of the node's catalog, rendered with RED._. */
export function statusLine(RED: NodeAPI, node: Node): StatusLine {
  let current: NodeStatus = {};
  let overlaid = false;
  const set = (status: NodeStatus): void => {
    current = status;
    if (!overlaid) node.status(status);
  };
  const as = (meaning: StatusMeaning): Show => (key, subs) => set(statusOf(meaning, RED._(key, subs)));
  return {
    working: as('working'),
    done: as('done'),
    partial: as('partial'),
    waiting: as('waiting'),
    failed: as('failed'),
    blocked: as('blocked'),
    idle: as('idle'),
    show: set,
    overlay(meaning, key, subs) {
      overlaid = true;
      node.status(statusOf(meaning, RED._(key, subs)));
    },
    endOverlay() {
      if (!overlaid) return;
      overlaid = false;
      node.status(current);
    },
  };
}
