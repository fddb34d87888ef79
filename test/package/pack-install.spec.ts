/**
 * The package as users get it: `npm pack`'s tarball, installed into a fresh Node-RED user dir by
 * Node-RED 4.1's own palette manager (the admin API behind Manage palette ▸ Install ▸ upload, which
 * writes <userDir>/nodes/<name>-<version>.tgz and runs `npm install --no-audit --no-update-notifier
 * --no-fund --save --save-prefix=~ --omit=dev --engine-strict -- <that file>`, see
 * @node-red/registry/lib/installer.js), then loaded hot and again after a restart. The tarball holds
 * only what package.json `files` names: no tests, no TypeScript sources, no secrets.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { freePort, NodeRedProcess, ROOT, userEnv } from '../support/node-red-process';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  'node-red': { nodes: Record<string, string> };
};
const TYPES = Object.keys(pkg['node-red'].nodes);

interface PackResult {
  filename: string;
  files: Array<{ path: string; size: number }>;
}

interface NodeSet {
  id: string;
  module: string;
  types: string[];
  enabled: boolean;
  local: boolean;
  user: boolean;
  err?: string;
}

interface ModuleInfo {
  name: string;
  version: string;
  local: boolean;
  user: boolean;
  path: string;
  nodes: NodeSet[];
}

/** Values that look like credentials, whatever file they hide in. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a 64-hex token (Trakt tokens and secrets look like this)', /\b[0-9a-f]{64}\b/],
  ['a JWT', /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./],
  ['a GitHub, npm or Slack token', /\b(ghp|gho|ghs|github_pat|npm|xox[bap])_[A-Za-z0-9_]{20,}/],
  ['a credential value in JSON', /"(clientSecret|client_secret|accessToken|access_token|refreshToken|refresh_token|apiKey|api_key|token|password)"\s*:\s*"[A-Za-z0-9._~+/=-]{16,}"/],
  ['the test sandboxes\' credentials', /sandbox-client-secret|sandbox-simkl-client-id|not-a-real-token/],
];
const SECRET_FILES = /(^|\/)(flows_cred\.json|tokens\.json|\.npmrc|\.env(\..*)?|id_rsa.*)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isDirectory() ? walk(file) : [file];
  });
}

describe('the npm tarball installs through Node-RED 4.1\'s palette manager into a fresh user dir, and loads', function () {
  // npm pack, then an npm install of the tarball and its 6 dependencies (from npm's cache when it can).
  this.timeout(300_000);
  let dir: string;
  let userDir: string;
  let tarball: string;
  let packed: PackResult;
  let red: NodeRedProcess;
  let installOutput = '';

  before(function () {
    if (!existsSync(join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'clawarr-pack-'));
    // --ignore-scripts: prepack would run `npm run build` again, and build is done (npm test builds
    // first; the other specs test that same dist/). A rebuild here would also race with other
    // specs reading dist/ in parallel runs.
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    packed = (JSON.parse(out) as PackResult[])[0];
    tarball = join(dir, packed.filename);
    userDir = join(dir, 'userdir');
    mkdirSync(userDir);
  });

  after(async () => {
    await red?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('the tarball', () => {
    it('holds only what package.json `files` names (and package.json)', () => {
      // `files` may exclude with "!glob" (source maps: they point at .ts sources that are not shipped).
      const included = pkg.files.filter((entry) => !entry.startsWith('!'));
      const excluded = pkg.files.filter((entry) => entry.startsWith('!')).map((entry) => globToRegExp(entry.slice(1)));
      const allowed = (path: string) => path === 'package.json' || included.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry || path.startsWith(`${entry}/`)));
      const paths = packed.files.map((f) => f.path);
      expect(paths.filter((p) => !allowed(p)), 'files outside `files`').to.deep.equal([]);
      expect(paths.filter((p) => excluded.some((re) => re.test(p))), 'files `files` excludes').to.deep.equal([]);
      for (const entry of included) expect(paths.some((p) => p === entry || p.startsWith(entry.endsWith('/') ? entry : `${entry}/`)), `${entry} is in the tarball`).to.equal(true);
      for (const file of Object.values(pkg['node-red'].nodes)) {
        expect(paths, 'node .js').to.include(file);
        expect(paths, 'node .html').to.include(file.replace(/\.js$/, '.html'));
      }
    });

    it('holds no tests and no TypeScript sources', () => {
      const paths = packed.files.map((f) => f.path);
      expect(paths.filter((p) => /(^|\/)tests?\//.test(p) || /\.spec\./.test(p)), 'test files').to.deep.equal([]);
      expect(paths.filter((p) => /\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p)), 'TypeScript sources').to.deep.equal([]);
      expect(paths.filter((p) => p.startsWith('dist/') && !p.startsWith('dist/nodes/') && !p.startsWith('dist/lib/')), 'dist/ beyond nodes and lib (sandbox, scripts)').to.deep.equal([]);
    });

    it('holds no stale build output: every file under dist/ comes from a source in this checkout', () => {
      // tsc and scripts/copy-assets.js add to dist/ and never remove: a renamed icon or a deleted module
      // would otherwise ship in its old form next to the new one.
      const sourceOf = (path: string): string => {
        const rel = path.slice('dist/'.length);
        const js = rel.match(/^(.*)\.js(\.map)?$/);
        if (js) return `${js[1]}.ts`;
        const icon = rel.match(/^nodes\/[^/]+\/icons\/(.+)$/);
        return icon ? `icons/${icon[1]}` : rel;
      };
      const stale = packed.files.map((f) => f.path).filter((p) => p.startsWith('dist/') && !existsSync(join(ROOT, sourceOf(p))));
      expect(stale, 'stale files (rm -rf dist && npm run build)').to.deep.equal([]);
    });

    it('holds no token, key or credentials file', () => {
      const unpacked = join(dir, 'unpacked');
      mkdirSync(unpacked);
      execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
      const files = walk(join(unpacked, 'package'));
      expect(files.length).to.equal(packed.files.length);
      const found: string[] = [];
      for (const file of files) {
        const path = relative(join(unpacked, 'package'), file).split(sep).join('/');
        if (SECRET_FILES.test(path)) found.push(`${path}: a credentials file`);
        const text = readFileSync(file, 'utf8');
        for (const [what, pattern] of SECRET_PATTERNS) if (pattern.test(text)) found.push(`${path}: ${what} (${text.match(pattern)![0].slice(0, 24)}…)`);
      }
      expect(found).to.deep.equal([]);
    });
  });

  describe('installed from the palette manager', () => {
    it('starts Node-RED on an empty user dir: Node-RED writes its package.json, the module is not there yet', async () => {
      red = new NodeRedProcess({
        userDir,
        port: await freePort(),
        // The npm the palette manager starts prefers npm's cache (the registry is still asked for what is missing).
        env: { npm_config_prefer_offline: 'true' },
        logLevel: 'trace',
      });
      await red.start();
      const userPackage = JSON.parse(readFileSync(join(userDir, 'package.json'), 'utf8')) as Record<string, unknown>;
      expect(userPackage).to.include({ name: 'node-red-project', private: true });
      const sets = await red.get<NodeSet[]>('/nodes');
      expect(sets.filter((s) => s.module === pkg.name)).to.deep.equal([]);
    });

    it('installs the uploaded tarball with the palette manager\'s npm command and adds every node type at once', async () => {
      const form = new FormData();
      form.append('tarball', new Blob([readFileSync(tarball)], { type: 'application/gzip' }), packed.filename);
      const response = await fetch(`${red.url}/nodes`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
      const body = await response.text();
      installOutput = red.output;
      expect(response.status, `${body}\n${red.output}`).to.equal(200);
      const info = JSON.parse(body) as ModuleInfo;
      expect(info.name).to.equal(pkg.name);
      expect(info.version).to.equal(pkg.version);
      expect(info.nodes.flatMap((n) => n.types).sort()).to.deep.equal([...TYPES].sort());
      expect(info.nodes.filter((n) => n.err || !n.enabled)).to.deep.equal([]);
      // The command Node-RED ran (logged at trace level), with the palette manager's flags.
      expect(installOutput).to.match(/npm-cli\.js .*"install","--no-audit","--no-update-notifier","--no-fund","--save","--save-prefix=~","--omit=dev","--engine-strict","--",".*clawarr-node-red-media-trackers-[^"]+\.tgz"/);
    });

    it('saves it like the palette manager does: file:nodes/<tarball> in the user dir\'s package.json, a real copy with runtime dependencies only', () => {
      const userPackage = JSON.parse(readFileSync(join(userDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      expect(userPackage.dependencies?.[pkg.name]).to.equal(`file:nodes/${packed.filename}`);
      expect(existsSync(join(userDir, 'nodes', packed.filename))).to.equal(true);
      const installed = join(userDir, 'node_modules', ...pkg.name.split('/'));
      expect(lstatSync(installed).isSymbolicLink(), 'a copy, not a link to the checkout').to.equal(false);
      for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(userDir, 'node_modules', ...dep.split('/'), 'package.json')), dep).to.equal(true);
      for (const dev of ['node-red', 'mocha', 'typescript', 'node-red-contrib-home-assistant-websocket']) expect(existsSync(join(userDir, 'node_modules', dev)), `dev dependency ${dev}`).to.equal(false);
    });

    async function expectLoadedFromUserDir(): Promise<void> {
      const sets = (await red.get<NodeSet[]>('/nodes')).filter((s) => s.module === pkg.name);
      expect(sets.flatMap((s) => s.types).sort()).to.deep.equal([...TYPES].sort());
      expect(sets.filter((s) => s.err || !s.enabled).map((s) => `${s.id}: ${s.err ?? 'disabled'}`)).to.deep.equal([]);
      expect(sets.every((s) => s.local), 'node sets from the user dir').to.equal(true);
      const info = await red.get<ModuleInfo>(`/nodes/${pkg.name}`);
      // The module Node-RED loaded is the installed copy, not this checkout (nor anything beside node-red),
      // and it counts as user-installed (listed in the user dir's package.json: Manage palette can remove it).
      expect(info.path).to.equal(join(userDir, 'node_modules', ...pkg.name.split('/')));
      expect(info).to.include({ local: true, user: true, version: pkg.version });
    }

    it('is loaded from the user dir: every type enabled, no error', expectLoadedFromUserDir);

    it('loads again at the next start, with no error in the log, and serves its editor files, icons, resources and examples', async () => {
      await red.stop();
      await red.start();
      expect(red.errors(), red.output).to.deep.equal([]);
      await expectLoadedFromUserDir();
      const html = await (await fetch(`${red.url}/nodes`, { headers: { accept: 'text/html' } })).text();
      for (const type of TYPES) expect(html, type).to.match(new RegExp(`registerType\\(\\s*'${type}'`));
      // Every icon a node names in its editor file (a file, not font-awesome), served from the installed copy.
      const icons = new Set(Object.values(pkg['node-red'].nodes).flatMap((file) => [...readFileSync(join(ROOT, file.replace(/\.js$/, '.html')), 'utf8').matchAll(/\bicon:\s*'([^'/]+\.(?:svg|png))'/g)].map((m) => m[1])));
      expect(icons.size, 'icons named in the editor files').to.be.above(0);
      for (const icon of icons) expect((await fetch(`${red.url}/icons/${pkg.name}/${icon}`)).status, `icon ${icon}`).to.equal(200);
      for (const file of readdirSync(join(ROOT, 'resources'))) expect((await fetch(`${red.url}/resources/${pkg.name}/${file}`)).status, `resources/${file}`).to.equal(200);
      // Import ▸ Examples lists the module's examples/ (the library "examples", one entry per file).
      const examples = await red.get<Array<{ fn?: string }>>(`/library/examples/flows/${pkg.name}`);
      const names = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
      expect(examples.map((e) => e.fn).sort()).to.deep.equal(names.sort());
    });
  });
});

/** npm's `files` globs, as far as this package uses them: `**` spans folders, `*` stays within one. */
function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const pattern = escaped
    .split('**/')
    .map((part) => part.replace(/\*/g, '[^/]*'))
    .join('(?:.*/)?');
  return new RegExp(`^${pattern}$`);
}
