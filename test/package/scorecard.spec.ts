/**
 * The Flow Library's scorecard, checked by our own test. The Flow Library scores a package with
 * `node-red-dev validate` (node-red/node-red-dev-cli: src/libs/checkpackage.js, checknodes.js,
 * checkdeps.js; rule ids and texts in docs/P01.md ... D03.md), which needs npm and the online
 * catalogue (catalogue.nodered.org). Here the same rules run offline against this checkout, with the
 * Flow Library's own ingestion rules on top (flow-library/lib/modules.js: a README, the node-red
 * section, each node's .html parsed with acorn for a literal registerType). Ids P01-P08, N01-N02,
 * D01-D03 are node-red-dev's; L01-L06 (Flow Library ingestion) and C01 are ours.
 *
 * What needs the network is marked: P06/P07 compare against npm's latest Node-RED (a snapshot here,
 * read live with SCORECARD_ONLINE=1), P08 and N01's catalogue part need catalogue.nodered.org and D03
 * npm's latest versions (both only with SCORECARD_ONLINE=1, otherwise pending).
 *
 * The table printed after the run is the scorecard.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

// semver ships no types here; it is Node-RED's and npm's own (a dependency of node-red, installed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require('semver') as {
  validRange(range: string): string | null;
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  coerce(version: string): { version: string } | null;
  major(version: string): number;
};

const ROOT = join(__dirname, '..', '..');
const ONLINE = process.env.SCORECARD_ONLINE === '1';

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  repository?: { type?: string; url?: string } | string;
  bugs?: { url?: string; email?: string } | string;
  keywords?: string[];
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  'node-red'?: { version?: string; nodes?: Record<string, string> };
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const nodeFiles = pkg['node-red']?.nodes ?? {};

/**
 * npm's `latest` Node-RED when this test was written (`npm view node-red dist-tags`, `engines`):
 * P06 and P07 compare against it. SCORECARD_ONLINE=1 reads the current one instead.
 */
const LATEST_NODE_RED_SNAPSHOT = { version: '5.0.7', node: '>=22.9', taken: 'npm view node-red@latest, 2026-12' };
/** node-red-dev-cli's badpackages.json: packages that break Node-RED when found in the tree. */
const BAD_PACKAGES: Record<string, string> = { 'agent-base': '<6.0.0' };

// ------------------------------------------------------------------------------------------ helpers

interface NodeDefinition {
  type: string;
  category?: unknown;
  color?: unknown;
  icon?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  problems: string[];
}

/**
 * node-red-dev's getNodeDefinitions (checknodes.js): every <script type="text/javascript"> block
 * parsed with acorn, every `*.registerType(<Literal>, <ObjectExpression>)` call, with category,
 * color, icon, inputs and outputs as literals and defaults and credentials as inline objects.
 */
function nodeDefinitions(htmlFile: string): { definitions: NodeDefinition[]; problems: string[] } {
  const html = readFileSync(htmlFile, 'utf8');
  const blocks = [...html.matchAll(/<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi)].map((m) => m[1]);
  const definitions: NodeDefinition[] = [];
  const problems: string[] = [];
  if (!blocks.length) problems.push('no <script type="text/javascript"> block');
  for (const block of blocks) {
    let ast: acorn.Node;
    try {
      ast = acorn.parse(block, { ecmaVersion: 'latest' });
    } catch (error) {
      problems.push(`does not parse: ${(error as Error).message}`);
      continue;
    }
    walk.simple(ast, {
      CallExpression(call) {
        const callee = call.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'registerType') return;
        const [typeArg, defArg] = call.arguments;
        if (typeArg?.type !== 'Literal' || typeof typeArg.value !== 'string') {
          problems.push('registerType with a type that is not a string literal');
          return;
        }
        const definition: NodeDefinition = { type: typeArg.value, problems: [] };
        definitions.push(definition);
        if (defArg?.type !== 'ObjectExpression') {
          definition.problems.push('definition is not an inline object');
          return;
        }
        for (const property of defArg.properties) {
          if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
          const key = property.key.name;
          const value = property.value;
          if (['category', 'color', 'icon', 'inputs', 'outputs'].includes(key)) {
            if (value.type === 'Literal') (definition as unknown as Record<string, unknown>)[key] = value.value;
            else definition.problems.push(`${key} is not a literal`);
          } else if ((key === 'defaults' || key === 'credentials') && value.type !== 'ObjectExpression') {
            definition.problems.push(`${key} is not an inline object`);
          }
        }
      },
    });
  }
  return { definitions, problems };
}

function htmlOf(type: string): string {
  return join(ROOT, nodeFiles[type].replace(/\.c?js$/, '.html'));
}

/** Node types registered by the node-red modules installed next to us (core nodes and node_modules). */
function installedNodeTypes(): Map<string, string> {
  const owners = new Map<string, string>();
  const typesIn = (file: string) => [...readFileSync(file, 'utf8').matchAll(/registerType\(\s*["']([^"']+)["']/g)].map((m) => m[1]);
  const core = join(dirname(require.resolve('@node-red/nodes/package.json')), 'core');
  for (const sub of readdirSync(core)) for (const file of readdirSync(join(core, sub)).filter((f) => f.endsWith('.html'))) for (const type of typesIn(join(core, sub, file))) owners.set(type, 'node-red');
  const modules = join(ROOT, 'node_modules');
  const dirs = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(join(modules, name)).map((sub) => join(name, sub)) : [name]));
  for (const name of dirs) {
    const file = join(modules, name, 'package.json');
    if (!existsSync(file)) continue;
    const other = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
    if (other.name === pkg.name) continue;
    for (const js of Object.values(other['node-red']?.nodes ?? {})) {
      const html = join(modules, name, js.replace(/\.c?js$/, '.html'));
      if (existsSync(html)) for (const type of typesIn(html)) owners.set(type, other.name);
    }
  }
  return owners;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** catalogue.nodered.org's module list (what node-red-dev reads for P08 and N01), or why not. */
async function catalogue(): Promise<Array<{ id: string; types?: string[] }> | Error> {
  try {
    return (await getJson<{ modules: Array<{ id: string; types?: string[] }> }>('https://catalogue.nodered.org/catalogue.json')).modules;
  } catch (error) {
    return error as Error;
  }
}

async function latestNodeRed(): Promise<{ version: string; node: string; source: string }> {
  if (!ONLINE) return { version: LATEST_NODE_RED_SNAPSHOT.version, node: LATEST_NODE_RED_SNAPSHOT.node, source: `snapshot ${LATEST_NODE_RED_SNAPSHOT.taken}` };
  const latest = await getJson<{ version: string; engines?: { node?: string } }>('https://registry.npmjs.org/node-red/latest');
  return { version: latest.version, node: latest.engines?.node ?? '*', source: 'npm, live' };
}

/** Fails with the list itself as the message, so the scorecard row says what is wrong. */
function none(list: string[], what: string): void {
  if (list.length) throw new Error(`${what}: ${list.join('; ')}`);
}

// ------------------------------------------------------------------------------------------ scorecard

interface Row {
  id: string;
  check: string;
  result: 'pass' | 'FAIL' | 'n/a';
  detail: string;
}
const rows: Row[] = [];

/** One scorecard rule: a mocha test titled "<id> <check>" whose outcome becomes a table row. */
function rule(id: string, check: string, body: (this: Mocha.Context, note: (detail: string) => void) => void | Promise<void>): void {
  it(`${id} ${check}`, async function () {
    let detail = '';
    const note = (text: string) => (detail = text);
    const row: Row = { id, check, result: 'FAIL', detail: '' };
    rows.push(row);
    try {
      await body.call(this, note);
      row.result = 'pass';
      row.detail = detail;
    } catch (error) {
      if ((error as { constructor?: { name?: string } }).constructor?.name === 'Pending') {
        row.result = 'n/a';
        row.detail = detail;
      } else {
        row.detail = (error as Error).message.split('\n')[0];
      }
      throw error;
    }
  });
}

function printScorecard(): void {
  const head = `Flow Library scorecard for ${pkg.name}@${pkg.version} (node-red-dev validate rules P/N/D, Flow Library ingestion L, our own C; ${ONLINE ? 'online' : 'offline'})`;
  const widths = [4, Math.max(5, ...rows.map((r) => r.check.length)), 6];
  const line = (cells: string[]) => `| ${cells[0].padEnd(widths[0])} | ${cells[1].padEnd(widths[1])} | ${cells[2].padEnd(widths[2])} | ${cells[3]}`;
  const out = [head, '', line(['rule', 'check', 'result', 'detail']), `|${'-'.repeat(widths[0] + 2)}|${'-'.repeat(widths[1] + 2)}|${'-'.repeat(widths[2] + 2)}|--------`];
  for (const row of rows) out.push(line([row.id, row.check, row.result, row.detail]));
  const count = (result: Row['result']) => rows.filter((r) => r.result === result).length;
  out.push('', `${count('pass')} pass, ${count('FAIL')} fail, ${count('n/a')} not checked offline`);
  console.log(`\n${out.join('\n')}\n`);
}

describe(`Flow Library scorecard: ${pkg.name}`, function () {
  this.timeout(60_000);
  after(printScorecard);

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  });

  // ----------------------------------------------------------------------------------- package.json

  rule('P01', 'license: package.json `license` and a LICENSE file', (note) => {
    expect(pkg.license, 'package.json license').to.be.a('string').and.match(/^[A-Za-z0-9.+-]+$/);
    expect(pkg.license).to.not.equal('UNLICENSED');
    const file = readdirSync(ROOT).find((f) => /^licen[cs]e(\.md|\.txt)?$/i.test(f));
    expect(file, 'a LICENSE file').to.be.a('string');
    expect(readFileSync(join(ROOT, file!), 'utf8'), `${file} names the ${pkg.license} license`).to.include(pkg.license === 'MIT' ? 'MIT License' : pkg.license!);
    note(`${pkg.license}, ${file}`);
  });

  rule('P02', 'package name matches the repository', (note) => {
    // node-red-dev clones the repository to compare names (disabled upstream: nodegit removed).
    // Offline, this checkout is the repository: its URL must name this package.
    const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    expect(url, 'repository url').to.be.a('string');
    const [scope, name] = pkg.name.replace(/^@/, '').split('/');
    expect(url).to.match(new RegExp(`[/:]${scope}/${name}(\\.git)?$`));
    note(`${url} (offline: the URL names ${pkg.name})`);
  });

  rule('P03', 'repository or bugs link', (note) => {
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : (pkg.bugs?.url ?? pkg.bugs?.email);
    expect(repo || bugs, 'repository or bugs').to.be.a('string');
    note([repo && 'repository', bugs && 'bugs'].filter(Boolean).join(' + '));
  });

  rule('P04', 'scoped package name (new packages since Dec 2021)', (note) => {
    expect(pkg.name).to.match(/^@[a-z\d][\w-.]+\/[a-z\d][\w-.]*$/);
    note(pkg.name);
  });

  rule('P05', '`node-red` keyword', (note) => {
    expect(pkg.keywords ?? []).to.include('node-red');
    note(`${(pkg.keywords ?? []).length} keywords`);
  });

  rule('P06', 'Node-RED version declared (`node-red.version`), satisfied by the latest Node-RED', async (note) => {
    const range = pkg['node-red']?.version;
    expect(range, 'node-red.version').to.be.a('string');
    expect(semver.validRange(range!), `${range} is a semver range`).to.be.a('string');
    const latest = await latestNodeRed();
    expect(semver.satisfies(latest.version, range!), `latest Node-RED ${latest.version} satisfies ${range}`).to.equal(true);
    const tested = (JSON.parse(readFileSync(require.resolve('node-red/package.json'), 'utf8')) as { version: string }).version;
    expect(semver.satisfies(semver.coerce(tested)!.version, range!), `the Node-RED the tests run (${tested}) satisfies ${range}`).to.equal(true);
    note(`${range}: latest ${latest.version} (${latest.source}), tested ${tested}`);
  });

  rule('P07', 'Node.js version declared (`engines.node`), satisfied by the latest Node-RED minimum', async (note) => {
    const range = pkg.engines?.node;
    expect(range, 'engines.node').to.be.a('string');
    expect(semver.validRange(range!), `${range} is a semver range`).to.be.a('string');
    const latest = await latestNodeRed();
    const min = semver.minVersion(latest.node)!.version;
    expect(semver.satisfies(min, range!), `Node ${min} (the minimum of Node-RED ${latest.version}) satisfies ${range}`).to.equal(true);
    expect(semver.satisfies(process.versions.node, range!), `this Node ${process.versions.node} satisfies ${range}`).to.equal(true);
    note(`${range}: Node-RED ${latest.version} needs ${latest.node}; running ${process.versions.node}`);
  });

  rule('P08', 'no similarly named package in the catalogue', async function (note) {
    if (!ONLINE) {
      note('needs catalogue.nodered.org (SCORECARD_ONLINE=1)');
      this.skip();
    }
    const modules = await catalogue();
    if (modules instanceof Error) {
      note(`catalogue.nodered.org unreachable: ${modules.message}`);
      this.skip();
    }
    const name = pkg.name.split('/').pop()!;
    const similar = (modules as Array<{ id: string }>).map((m) => m.id).filter((id) => id !== pkg.name && name.includes(id.split('/').pop()!));
    none(similar, 'similar names');
    note(`${(modules as unknown[]).length} catalogue modules`);
  });

  // ---------------------------------------------------------------------------------------- nodes

  rule('N01', 'node types unique: prefixed `clawarr-`, one registration each, no clash with installed modules', async (note) => {
    const types = Object.keys(nodeFiles);
    none(types.filter((t) => !/^clawarr-[a-z][a-z-]*$/.test(t)), 'types without the clawarr- prefix');
    const registered = types.flatMap((type) => nodeDefinitions(htmlOf(type)).definitions.map((d) => d.type));
    none(registered.filter((t, i) => registered.indexOf(t) !== i), 'types registered twice');
    const owners = installedNodeTypes();
    none(types.filter((t) => owners.has(t)).map((t) => `${t} (${owners.get(t)})`), 'types another installed module registers');
    let catalogueNote = '';
    if (ONLINE) {
      const modules = await catalogue();
      if (modules instanceof Error) {
        catalogueNote = ` (catalogue.nodered.org unreachable: ${modules.message})`;
      } else {
        const clashes = modules.filter((m) => m.id !== pkg.name && (m.types ?? []).some((t) => types.includes(t))).map((m) => m.id);
        none(clashes, 'catalogue modules with one of our types');
        catalogueNote = `, none in the catalogue's ${modules.length} modules`;
      }
    }
    note(`${types.length} types, none among ${owners.size} installed types${ONLINE ? catalogueNote : ' (catalogue: online only)'}`);
  });

  rule('N02', 'every non-config node is used in an example', (note) => {
    const dir = join(ROOT, 'examples');
    const files: string[] = [];
    const collect = (d: string) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? collect(join(d, f)) : files.push(join(d, f))));
    collect(dir);
    const used = new Set(files.flatMap((f) => (JSON.parse(readFileSync(f, 'utf8')) as Array<{ type: string }>).map((n) => n.type)));
    const definitions = Object.keys(nodeFiles).flatMap((type) => nodeDefinitions(htmlOf(type)).definitions);
    const nodes = definitions.filter((d) => d.category !== 'config');
    none(nodes.filter((d) => !used.has(d.type)).map((d) => d.type), 'nodes in no example');
    note(`${nodes.length} nodes in ${files.length} examples (${definitions.length - nodes.length} config nodes)`);
  });

  // --------------------------------------------------------------------------------- dependencies

  rule('D01', 'at most 6 runtime dependencies', (note) => {
    const deps = Object.keys(pkg.dependencies ?? {});
    expect(deps.length).to.be.at.most(6);
    note(`${deps.length}: ${deps.join(', ')}`);
  });

  rule('D02', 'no known-bad package in the runtime dependency tree', (note) => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean }> };
    const runtime = Object.entries(lock.packages).filter(([path, entry]) => path && !entry.dev && !entry.devOptional);
    const bad = runtime.filter(([path, entry]) => {
      const name = path.split('node_modules/').pop()!;
      return BAD_PACKAGES[name] && entry.version && semver.satisfies(entry.version, BAD_PACKAGES[name]);
    });
    none(bad.map(([path, entry]) => `${path}@${entry.version}`), 'bad packages');
    note(`${runtime.length} runtime packages (package-lock.json), checked against ${Object.entries(BAD_PACKAGES).map(([n, r]) => `${n} ${r}`).join(', ')}`);
  });

  rule('D03', 'dependencies at their latest major', function (note) {
    if (!ONLINE) {
      note("needs npm's latest versions (SCORECARD_ONLINE=1)");
      this.skip();
    }
    let out = '{}';
    try {
      out = execFileSync('npm', ['outdated', '--omit=dev', '--json'], { cwd: ROOT, encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout?: string }).stdout || '{}'; // npm outdated exits 1 when something is outdated
    }
    const outdated = JSON.parse(out) as Record<string, { latest: string }>;
    const behind = Object.entries(outdated).filter(([name, info]) => pkg.dependencies?.[name] && !semver.satisfies(info.latest, pkg.dependencies[name]));
    none(behind.map(([name, info]) => `${name} ${pkg.dependencies![name]} (latest ${info.latest})`), 'behind the latest major');
    note(`${Object.keys(pkg.dependencies ?? {}).length} dependencies, npm outdated`);
  });

  rule('C01', '`node-red` is not a runtime dependency (dev only)', (note) => {
    expect(Object.keys(pkg.dependencies ?? {})).to.not.include('node-red');
    none(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@node-red/')), 'Node-RED packages in dependencies');
    note(`devDependencies: node-red ${pkg.devDependencies?.['node-red'] ?? '-'}`);
  });

  // ----------------------------------------------------------------- Flow Library ingestion (modules.js)

  rule('L01', 'README present and more than a title', (note) => {
    const file = join(ROOT, 'README.md');
    expect(existsSync(file), 'README.md').to.equal(true);
    const text = readFileSync(file, 'utf8');
    const headings = text.match(/^#{1,3} .+$/gm) ?? [];
    expect(text.length, 'README length').to.be.above(2000);
    expect(headings.length, 'README sections').to.be.at.least(4);
    for (const word of ['install', 'example']) expect(text.toLowerCase(), `README mentions ${word}`).to.include(word);
    note(`${text.length} characters, ${headings.length} headings`);
  });

  rule('L02', 'every `node-red.nodes` file exists after the build (dist/)', (note) => {
    const types = Object.keys(nodeFiles);
    expect(types.length, 'node-red.nodes').to.be.above(0);
    const missing = Object.entries(nodeFiles).filter(([, file]) => !existsSync(join(ROOT, file)) || !existsSync(join(ROOT, file.replace(/\.c?js$/, '.html'))));
    none(missing.map(([type, file]) => `${type}: ${file}`), 'missing .js or .html');
    none(Object.values(nodeFiles).filter((f) => !f.startsWith('dist/')), 'node files outside dist/');
    note(`${types.length} .js + .html pairs`);
  });

  rule('L03', "every built .html parses: exactly one literal registerType('<its type>', {…})", (note) => {
    const problems: string[] = [];
    for (const type of Object.keys(nodeFiles)) {
      const { definitions, problems: fileProblems } = nodeDefinitions(htmlOf(type));
      problems.push(...fileProblems.map((p) => `${type}: ${p}`));
      if (definitions.length !== 1) problems.push(`${type}: ${definitions.length} registerType calls`);
      for (const d of definitions) {
        if (d.type !== type) problems.push(`${type}: registers '${d.type}'`);
        problems.push(...d.problems.map((p) => `${type}: ${p}`));
        // The palette shows a non-config node with its color and icon; a config node needs only its category.
        const needed = d.category === 'config' ? (['category'] as const) : (['category', 'color', 'icon'] as const);
        for (const key of needed) if (d[key] === undefined) problems.push(`${type}: no literal ${key}`);
      }
    }
    none(problems, 'problems');
    note(`${Object.keys(nodeFiles).length} files, acorn ${acorn.version}`);
  });

  rule('L04', 'every icon a node names is next to its .js (dist/nodes/<node>/icons)', (note) => {
    const missing: string[] = [];
    let count = 0;
    for (const [type, file] of Object.entries(nodeFiles)) {
      for (const d of nodeDefinitions(htmlOf(type)).definitions) {
        if (typeof d.icon !== 'string' || d.icon.startsWith('font-awesome/') || d.icon.startsWith('node-red/')) continue;
        count += 1;
        if (!existsSync(join(ROOT, dirname(file), 'icons', d.icon))) missing.push(`${type}: ${d.icon}`);
      }
    }
    none(missing, 'missing icons');
    note(`${count} icon files`);
  });

  rule('L05', 'examples/ present; every example a JSON array of nodes with a tab', (note) => {
    const dir = join(ROOT, 'examples');
    expect(existsSync(dir), 'examples/').to.equal(true);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).to.be.above(0);
    for (const file of files) {
      const flow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      expect(flow, file).to.be.an('array');
      expect((flow as Array<{ type: string }>).some((n) => n.type === 'tab'), `${file} has a tab`).to.equal(true);
    }
    note(`${files.length} examples`);
  });

  rule('L06', 'palette category and help: non-config nodes in the `clawarr` category, help text for every node', (note) => {
    const problems: string[] = [];
    for (const type of Object.keys(nodeFiles)) {
      const [definition] = nodeDefinitions(htmlOf(type)).definitions;
      if (definition && definition.category !== 'config' && definition.category !== 'clawarr') problems.push(`${type}: category ${String(definition.category)}`);
      const helpInHtml = new RegExp(`data-help-name=["']${type}["']`).test(readFileSync(htmlOf(type), 'utf8'));
      const base = nodeFiles[type].split('/').pop()!.replace(/\.c?js$/, '');
      const helpInLocale = existsSync(join(ROOT, dirname(nodeFiles[type]), 'locales', 'en-US', `${base}.html`));
      if (!helpInHtml && !helpInLocale) problems.push(`${type}: no help`);
    }
    none(problems, 'problems');
    note(`${Object.keys(nodeFiles).length} nodes`);
  });
});
