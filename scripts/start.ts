/**
 * `npm start`: Node-RED 4.1 with this package and its example flow in a project-local user dir
 * (.userdir/). Without TRAKT_CLIENT_ID and TRAKT_CLIENT_SECRET it runs against the loopback sandbox
 * (fake Trakt, Simkl and Tautulli), already authorized, so a newcomer sees a sync happen.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { StateStore } from '../lib/store/state-store';
import { TokenStore } from '../lib/store/token-store';
import { generateTautulliLibrary, startSimklSandbox, startTautulliSandbox, startTraktSandbox } from '../test/sandbox';
import { pointExamplesAtSandboxes, type ExampleNode } from '../test/sandbox/demo-flows';

const root = resolve(__dirname, '..', '..');
const userDir = resolve(process.env.CLAWARR_USER_DIR || join(root, '.userdir'));
const port = Number(process.env.PORT) || 1880;
const realClientId = process.env.TRAKT_CLIENT_ID;
const realClientSecret = process.env.TRAKT_CLIENT_SECRET;
const EXAMPLES = join(root, 'examples');

type FlowNode = ExampleNode;

/**
 * Every example brings its own accounts, most of them named alike ("Trakt account"): with all of them loaded at
 * once the pickers would list seven identical entries. A name used more than once gets its example's tab label.
 */
function nameConfigsAfterTheirExample(examples: FlowNode[][]): void {
  const counts = new Map<string, number>();
  const configs = (flow: FlowNode[]) => flow.filter((n) => n.type.endsWith('-config') && n.name);
  for (const flow of examples) for (const config of configs(flow)) counts.set(config.name!, (counts.get(config.name!) ?? 0) + 1);
  for (const flow of examples) {
    const tab = flow.find((n) => n.type === 'tab')?.label?.replace(/^clawarr:\s*/, '');
    if (!tab) continue;
    for (const config of configs(flow)) if ((counts.get(config.name!) ?? 0) > 1) config.name = `${config.name} (${tab})`;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => done(port));
      });
  });
}

function linkPackage(): void {
  const scopeDir = join(userDir, 'node_modules', '@clawarr');
  mkdirSync(scopeDir, { recursive: true });
  const link = join(scopeDir, 'node-red-media-trackers');
  rmSync(link, { force: true, recursive: false });
  symlinkSync(root, link, 'dir');
  const pkgFile = join(userDir, 'package.json');
  if (!existsSync(pkgFile)) {
    writeFileSync(pkgFile, JSON.stringify({ name: 'clawarr-userdir', private: true, dependencies: { '@clawarr/node-red-media-trackers': 'file:..' } }, null, 2));
  }
}

/** The user's flows from an earlier start, else every example flow, each on its own tab. */
function loadFlows(): FlowNode[] {
  const file = join(userDir, 'flows.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as FlowNode[];
  const examples = readdirSync(EXAMPLES)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as FlowNode[]);
  nameConfigsAfterTheirExample(examples);
  return examples.flat();
}

function writeSettings(): string {
  const file = join(userDir, 'settings.js');
  writeFileSync(
    file,
    `// Written by npm start (scripts/start.ts). Credentials are stored unencrypted: this is a local demo user dir.
module.exports = {
  uiPort: ${port},
  uiHost: '127.0.0.1',
  flowFile: 'flows.json',
  credentialSecret: false,
  userDir: ${JSON.stringify(userDir)},
  editorTheme: { projects: { enabled: false }, tours: false },
  // The demo machine may have no internet: no update check, and no consent dialog over the editor.
  telemetry: { enabled: false, updateNotification: false },
  logging: { console: { level: 'info', metrics: false, audit: false } },
};
`,
  );
  return file;
}

async function main(): Promise<void> {
  mkdirSync(userDir, { recursive: true });
  linkPackage();
  const flows = loadFlows();
  const configs = flows.filter((n) => n.type === 'clawarr-trakt-config');
  const tautulliConfigs = flows.filter((n) => n.type === 'clawarr-tautulli-config');
  const simklConfigs = flows.filter((n) => n.type === 'clawarr-simkl-config');
  const credentials: Record<string, Record<string, string>> = {};
  let closeSandbox: (() => Promise<void>) | undefined;

  if (realClientId && realClientSecret) {
    for (const config of configs) credentials[config.id] = { clientId: realClientId, clientSecret: realClientSecret };
    console.log('[clawarr] using real Trakt with the client id from TRAKT_CLIENT_ID; authorize in the trakt-config node');
    if (process.env.SIMKL_CLIENT_ID) {
      for (const config of simklConfigs) credentials[config.id] = { clientId: process.env.SIMKL_CLIENT_ID, clientSecret: process.env.SIMKL_CLIENT_SECRET ?? '' };
    }
    if (process.env.TAUTULLI_URL && process.env.TAUTULLI_API_KEY) {
      for (const config of tautulliConfigs) {
        config.url = process.env.TAUTULLI_URL;
        credentials[config.id] = { apiKey: process.env.TAUTULLI_API_KEY };
      }
    }
  } else {
    const sandbox = await startTraktSandbox({ port: Number(process.env.SANDBOX_PORT) || 0, stateFile: join(userDir, 'sandbox-trakt.json') });
    // The same generated Plex history at every start (fixed seed); tautulli-in's mark keeps reads incremental.
    const library = generateTautulliLibrary(sandbox.state.catalog, { plays: 300, users: ['alice', 'bob'], seed: 1 });
    const tautulli = await startTautulliSandbox({ library });
    const simkl = await startSimklSandbox({ stateFile: join(userDir, 'sandbox-simkl.json') });
    closeSandbox = async () => {
      await sandbox.close();
      await tautulli.close();
      await simkl.close();
    };
    const tokens = new TokenStore(new StateStore(StateStore.defaultDir(userDir)));
    Object.assign(
      credentials,
      pointExamplesAtSandboxes(flows, {
        traktUrl: sandbox.url,
        simklUrl: simkl.url,
        tautulliUrl: tautulli.url,
        simklToken: () => simkl.state.issueToken(),
        // Tokens live in the token store (as after "Authorize with Trakt"); the flow keeps only the app.
        traktCredentials: () => ({ clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' }),
        homeAssistantHost: `http://127.0.0.1:${await freePort()}`,
        root,
        dataDir: userDir,
      }),
    );
    for (const config of configs) {
      // Pre-authorized so the example works at once; "Authorize with Trakt" also works against the sandbox.
      if (!tokens.get(config.id)) {
        const issued = sandbox.state.issueTokens();
        tokens.set(config.id, {
          accessToken: issued.access_token,
          refreshToken: issued.refresh_token,
          createdAt: issued.created_at,
          expiresAt: issued.created_at + issued.expires_in,
          username: 'sandbox-user',
        });
        config.authorizedAs = 'sandbox-user';
      }
    }
    console.log(`[clawarr] no TRAKT_CLIENT_ID/TRAKT_CLIENT_SECRET given: using the loopback Trakt sandbox at ${sandbox.url}`);
    console.log(`[clawarr] approve device codes at ${sandbox.url}/activate`);
    console.log(`[clawarr] a fake Tautulli with ${library.expected.length} plays of 2 users at ${tautulli.url}`);
    console.log(`[clawarr] a fake Simkl at ${simkl.url} (approve PINs at ${simkl.url}/pin)`);
  }
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2), { mode: 0o600 });
  const settings = writeSettings();

  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', settings], { stdio: 'inherit', env: process.env });
  console.log(`[clawarr] Node-RED editor: http://127.0.0.1:${port}/`);
  const stop = () => red.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  red.on('exit', (code) => {
    void (closeSandbox ? closeSandbox() : Promise.resolve()).finally(() => process.exit(code ?? 0));
  });
}

main().catch((error: unknown) => {
  console.error('[clawarr] npm start failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
