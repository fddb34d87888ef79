import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
const registered = Object.keys(pkg['node-red'].nodes);
const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
const flows = examples.map((file) => ({ file, nodes: JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as Array<Record<string, unknown>> }));

/** The node types an editor .html registers (literal registerType calls). */
function typesIn(html: string): string[] {
  return [...html.matchAll(/registerType\(\s*["']([^"']+)["']/g)].map((m) => m[1]);
}

/** Node-RED 4.1's core node types, from @node-red/nodes' editor files. */
const coreDir = join(dirname(require.resolve('@node-red/nodes/package.json')), 'core');
const CORE = new Set(['tab', 'group', 'junction', ...readdirSync(coreDir).flatMap((sub) => readdirSync(join(coreDir, sub)).filter((f) => f.endsWith('.html')).flatMap((f) => typesIn(readFileSync(join(coreDir, sub, f), 'utf8'))))]);
/** node-red-contrib-home-assistant-websocket's node types (the installed dev dependency: 0.80.3). */
const haDir = dirname(require.resolve('node-red-contrib-home-assistant-websocket/package.json'));
const HA = new Set(typesIn(readFileSync(join(haDir, 'dist', 'index.html'), 'utf8')));

type FlowNode = Record<string, unknown> & { id: string; type: string };
const byId = (nodes: FlowNode[]) => new Map(nodes.map((n) => [n.id, n]));
const named = (nodes: FlowNode[], type: string, name: string) => nodes.find((n) => n.type === type && n.name === name);

/**
 * The nodes a message from `start` reaches. A switch on msg.topic sends it only where a rule
 * matches the inject's topic (the dry-run example routes by button); other nodes pass it on on
 * every port.
 */
function reach(nodes: FlowNode[], start: FlowNode): FlowNode[] {
  const index = byId(nodes);
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    let ports = (node.wires as string[][] | undefined) ?? [];
    if (node.type === 'switch' && node.property === 'topic') {
      const rules = node.rules as Array<{ t: string; v?: string }>;
      ports = ports.filter((_, i) => rules[i].t === 'eq' && rules[i].v === start.topic);
    }
    for (const port of ports) for (const id of port) if (index.has(id)) queue.push(index.get(id)!);
  }
  return nodes.filter((n) => seen.has(n.id) && n.id !== start.id);
}

/** Runs a function node's code as Node-RED would (msg in, msg or null out), with a node context. */
function runFunction(node: FlowNode, store: Map<string, unknown>, msg: Record<string, unknown>): Record<string, unknown> | null {
  const context = { get: (key: string) => store.get(key), set: (key: string, value: unknown) => store.set(key, value) };
  return new Function('msg', 'context', String(node.func))(msg, context) as Record<string, unknown> | null;
}

describe('examples (Import ▸ Examples)', () => {
  it('every clawarr node that is not a config node is used in at least one example (Flow Library N02)', () => {
    const used = new Set(flows.flatMap((f) => f.nodes.map((n) => n.type)));
    const unused = registered.filter((type) => !type.endsWith('-config') && !used.has(type));
    expect(unused).to.deep.equal([]);
  });

  for (const { file, nodes } of flows) {
    describe(file, () => {
      it('is an array of nodes opening with a comment that says what it does', () => {
        expect(nodes).to.be.an('array').with.length.above(2);
        const comment = nodes.find((n) => n.type === 'comment');
        expect(comment, 'a comment node').to.be.an('object');
        expect(String(comment!.name).length).to.be.above(20);
      });

      it('uses only core, clawarr and Home Assistant node types, and carries no secret', () => {
        for (const node of nodes) {
          const type = String(node.type);
          if (type.startsWith('clawarr-')) expect(registered, type).to.include(type);
          else expect(CORE.has(type) || HA.has(type), `${type} is a Node-RED 4.1 core node or one of node-red-contrib-home-assistant-websocket's`).to.equal(true);
          expect(node, `${type} ${String(node.id)}`).to.not.have.property('credentials');
        }
        const text = JSON.stringify(nodes);
        expect(text).to.not.match(/access_?token|refresh_?token|client_?secret|apikey=/i);
      });

      it('names the palette it needs in its opening comment when it uses nodes from another package', () => {
        // Imported without that palette, those nodes are unknown and Node-RED starts no flow: say so up front.
        const foreign = nodes.filter((n) => HA.has(String(n.type)));
        if (!foreign.length) return;
        const comment = nodes.find((n) => n.type === 'comment')!;
        expect(String(comment.info)).to.include('node-red-contrib-home-assistant-websocket');
      });

      it('wires every node to nodes that exist, and every node references a config node that exists', () => {
        const ids = new Set(nodes.map((n) => n.id));
        for (const node of nodes) {
          for (const port of (node.wires as string[][] | undefined) ?? []) for (const target of port) expect(ids, `${String(node.id)} → ${target}`).to.include(target);
          for (const key of ['tracker', 'server', 'entityConfig']) if (node[key]) expect(ids, `${String(node.id)}.${key}`).to.include(node[key]);
        }
      });

      it('has unique ids, and every node on a tab of the flow', () => {
        const ids = nodes.map((n) => n.id);
        expect(new Set(ids).size).to.equal(ids.length);
        const tabs = new Set(nodes.filter((n) => n.type === 'tab').map((n) => n.id));
        expect(tabs.size, 'a tab').to.be.at.least(1);
        for (const node of nodes) if (node.z !== undefined) expect(tabs, `${String(node.id)}.z`).to.include(node.z);
      });
    });
  }

  it('do not collide when npm start loads them all into one Node-RED: ids, and http in URLs', () => {
    const all = flows.flatMap((f) => f.nodes.map((n) => ({ file: f.file, id: String(n.id), url: n.type === 'http in' ? `${String(n.method)} ${String(n.url)}` : undefined })));
    const dupes = (values: string[]) => values.filter((v, i) => values.indexOf(v) !== i);
    expect(dupes(all.map((n) => n.id)), 'ids used by two examples').to.deep.equal([]);
    expect(dupes(all.flatMap((n) => (n.url ? [n.url] : []))), 'http in routes used by two examples').to.deep.equal([]);
  });

  describe('Home Assistant - now playing and nightly sync.json', () => {
    const nodes = flows.find((f) => f.file === 'Home Assistant - now playing and nightly sync.json')!.nodes as FlowNode[];
    const index = byId(nodes);

    it('connects every Home Assistant node to the one server config node of the flow, which holds no host or token', () => {
      const servers = nodes.filter((n) => n.type === 'server');
      expect(servers).to.have.length(1);
      expect(servers[0]).to.not.have.any.keys('credentials', 'host', 'access_token', 'token');
      const serverOf = (node: FlowNode): FlowNode | undefined => {
        if (node.server) return index.get(String(node.server));
        if (node.entityConfig) {
          const config = index.get(String(node.entityConfig));
          return config && config.type === 'ha-entity-config' ? serverOf(config) : undefined;
        }
        return undefined;
      };
      const haNodes = nodes.filter((n) => HA.has(n.type) && n.type !== 'server');
      expect(haNodes.map((n) => n.type)).to.include.members(['ha-sensor', 'ha-entity-config', 'api-call-service']);
      for (const node of haNodes) expect(serverOf(node)?.id, `${node.type} ${node.id} → server`).to.equal(servers[0].id);
      for (const config of nodes.filter((n) => n.type === 'ha-entity-config')) expect(config.entityType, String(config.name)).to.equal('sensor');
    });

    it('turns Tautulli webhook events into the Now playing sensor: tautulli-in in webhook mode → "now playing" → ha-sensor', () => {
      const http = nodes.find((n) => n.type === 'http in')!;
      const reached = reach(nodes, http).map((n) => n.type);
      expect(reached).to.include.members(['http response', 'clawarr-tautulli-in', 'function', 'ha-sensor']);
      expect(nodes.find((n) => n.type === 'clawarr-tautulli-in' && n.mode === 'webhook')).to.be.an('object');
      const nowPlaying = named(nodes, 'function', 'now playing')!;
      const store = new Map<string, unknown>();
      const episode = { type: 'episode', season: 3, episode: 7, show: { title: 'The Office' }, action: 'start', progress: 12, source: { kind: 'tautulli', user: 'bob' } };
      expect(runFunction(nowPlaying, store, { payload: episode })).to.deep.include({ payload: 'The Office S03E07', media: { title: 'The Office S03E07', media_type: 'episode', user: 'bob', progress: 12, action: 'start' } });
      expect(runFunction(nowPlaying, store, { payload: { type: 'movie', title: 'Inception', year: 2010, action: 'pause', progress: 40 } })?.payload).to.equal('Inception (2010) (paused)');
      expect(runFunction(nowPlaying, store, { payload: { type: 'movie', title: 'Inception', year: 2010, action: 'stop', progress: 95 } })?.payload).to.equal('idle');
      // A finished play ("watched") has no action: the sensor keeps its state, the nightly sync writes it.
      expect(runFunction(nowPlaying, store, { payload: { type: 'movie', title: 'Inception', watchedAt: '2024-01-15T20:41:00.000Z' } })).to.equal(null);
    });

    it('syncs every night: an inject with a crontab → tautulli-in (history) → match → sync-history (not a dry run) → totals → sensor and notification', () => {
      const nightly = nodes.find((n) => n.type === 'inject')!;
      expect(nightly.crontab).to.match(/^\d\d \d\d \* \* \*$/);
      const reached = reach(nodes, nightly);
      expect(reached.map((n) => n.type)).to.include.members(['clawarr-tautulli-in', 'clawarr-match', 'clawarr-sync-history', 'ha-sensor', 'api-call-service']);
      expect(reached.find((n) => n.type === 'clawarr-tautulli-in')!.mode).to.equal('history');
      expect(reached.find((n) => n.type === 'clawarr-sync-history')!.dryRun).to.equal(false);
      const notify = reached.find((n) => n.type === 'api-call-service')!;
      expect(notify.action).to.match(/^notify\./);
      expect(notify.dataType).to.equal('jsonata');
    });

    it("adds up the summaries of one night (a long first sync sends several) and tells only when there is news", () => {
      const totals = named(nodes, 'function', "tonight's totals")!;
      const store = new Map<string, unknown>();
      const summary = (added: number, skipped: number, notFound = 0, failed = 0) => ({ payload: { dryRun: false, added, skipped, notFound, failed } });
      runFunction(totals, store, summary(100, 0));
      const second = runFunction(totals, store, summary(20, 5, 1))!;
      expect(second).to.deep.include({ payload: 120, totals: { skipped: 5, not_found: 1, failed: 0 }, tell: true });
      expect(second.text).to.equal('120 new plays added to your Trakt history, 1 not found and 0 failed: see Node-RED');
      // The next night (more than six hours later) starts again from zero; nothing new, nothing to tell.
      (store.get('night') as { at: number }).at -= 7 * 3600 * 1000;
      expect(runFunction(totals, store, summary(0, 40))).to.deep.include({ payload: 0, tell: false });
      const trigger = reach(nodes, totals).find((n) => n.type === 'trigger')!;
      expect(trigger).to.include({ op1type: 'nul', op2type: 'payl', extend: true });
    });
  });

  describe('First sync with a dry run.json', () => {
    const nodes = flows.find((f) => f.file === 'First sync with a dry run.json')!.nodes as FlowNode[];
    const preview = named(nodes, 'inject', '1. preview (dry run)')!;
    const real = named(nodes, 'inject', '2. write for real')!;

    it('sends the preview button only to a sync-history node with dry run set, and the second button only to one without', () => {
      const previewSyncs = reach(nodes, preview).filter((n) => n.type === 'clawarr-sync-history');
      const realSyncs = reach(nodes, real).filter((n) => n.type === 'clawarr-sync-history');
      expect(previewSyncs.map((n) => n.dryRun)).to.deep.equal([true]);
      expect(realSyncs.map((n) => n.dryRun)).to.deep.equal([false]);
      expect(previewSyncs[0].tracker, 'the same account').to.equal(realSyncs[0].tracker);
      expect(previewSyncs[0].what).to.equal(realSyncs[0].what);
    });

    it('reads the same plays for both buttons: the whole history (msg.since = 0) through one tautulli-in and one match', () => {
      for (const button of [preview, real]) {
        expect(button.props, String(button.name)).to.deep.include({ p: 'since', v: '0', vt: 'num' });
        expect(button.once, String(button.name)).to.equal(false);
        expect(button.repeat, String(button.name)).to.equal('');
      }
      const shared = (type: string) => reach(nodes, preview).filter((n) => n.type === type && reach(nodes, real).includes(n));
      expect(shared('clawarr-tautulli-in')).to.have.length(1);
      expect(shared('clawarr-match')).to.have.length(1);
    });

    it('shows the dry-run report and one readable line per play in debug nodes', () => {
      const reached = reach(nodes, preview);
      expect(reached.filter((n) => n.type === 'debug').map((n) => n.name)).to.include.members(['dry-run report', 'would be added', 'not matched']);
      const lines = named(nodes, 'function', 'one line per play')!;
      const msg = {
        payload: { dryRun: true, wouldAdd: 2 },
        items: {
          wouldAdd: [
            { type: 'movie', title: 'Inception', year: 2010, watchedAt: '2024-01-15T20:41:00.000Z' },
            { type: 'episode', season: 6, episode: 1, show: { title: 'Game of Thrones' }, watchedAt: '2023-06-02T18:45:00.000Z' },
          ],
          skipped: [],
        },
      };
      expect(runFunction(lines, new Map(), msg)?.payload).to.deep.equal(['2023-06-02 18:45  Game of Thrones S06E01', '2024-01-15 20:41  Inception (2010)']);
    });
  });
});
