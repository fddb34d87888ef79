import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
const registered = Object.keys(pkg['node-red'].nodes);
const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
const flows = examples.map((file) => ({ file, nodes: JSON.parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as Array<Record<string, unknown>> }));

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

      it('uses only clawarr types that are registered, and carries no secret', () => {
        for (const node of nodes) {
          const type = String(node.type);
          if (type.startsWith('clawarr-')) expect(registered, type).to.include(type);
          expect(node, `${type} ${String(node.id)}`).to.not.have.property('credentials');
        }
        const text = JSON.stringify(nodes);
        expect(text).to.not.match(/access_?token|refresh_?token|client_?secret|apikey=/i);
      });

      it('wires every node to nodes that exist, and every node references a config node that exists', () => {
        const ids = new Set(nodes.map((n) => n.id));
        for (const node of nodes) {
          for (const port of (node.wires as string[][] | undefined) ?? []) for (const target of port) expect(ids, `${String(node.id)} → ${target}`).to.include(target);
          for (const key of ['tracker', 'server']) if (node[key]) expect(ids, `${String(node.id)}.${key}`).to.include(node[key]);
        }
      });
    });
  }
});
