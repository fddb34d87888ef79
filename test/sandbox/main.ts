// CLI: node dist/test/sandbox/main.js [--port 0] [--fast] [--auto-approve] [--state-file PATH]
//        [--tautulli [--tautulli-port N] [--tautulli-plays N]] [--simkl [--simkl-port N] [--simkl-state-file PATH]]
// Prints the Trakt base URL on stdout (one line, for scripts) and runs until SIGINT/SIGTERM.
// --tautulli also starts the fake Tautulli with a history generated from the same catalog; its URL
// and API key go to stderr so stdout stays one line. --simkl likewise starts the fake Simkl on the
// same catalog (same --fast and --auto-approve) and prints its URL and client id on stderr.
import { catalogFor } from './trakt/catalog';
import { startSimklSandbox, startTautulliSandbox, startTraktSandbox } from './index';
import { generateTautulliLibrary } from './tautulli/library';
import type { TraktSandboxOptions } from './trakt/types';

interface TautulliArgs {
  enabled: boolean;
  port: number;
  plays: number;
}

interface SimklArgs {
  enabled: boolean;
  port: number;
  stateFile?: string;
}

function parseArgs(argv: string[]): { trakt: TraktSandboxOptions; tautulli: TautulliArgs; simkl: SimklArgs } {
  const o: TraktSandboxOptions = {};
  const t: TautulliArgs = { enabled: false, port: 0, plays: 200 };
  const k: SimklArgs = { enabled: false, port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--port') o.port = Number(value());
    // 100x faster rate-limit windows and device polling, for demos and smoke runs.
    else if (arg === '--fast') o.timeScale = 0.01;
    else if (arg === '--auto-approve') o.autoApprove = true;
    else if (arg === '--state-file') o.stateFile = value();
    else if (arg === '--tautulli') t.enabled = true;
    else if (arg === '--tautulli-port') t.port = Number(value());
    else if (arg === '--tautulli-plays') t.plays = Number(value());
    else if (arg === '--simkl') k.enabled = true;
    else if (arg === '--simkl-port') k.port = Number(value());
    else if (arg === '--simkl-state-file') k.stateFile = value();
    else throw new Error(`unknown argument ${arg}`);
  }
  return { trakt: o, tautulli: t, simkl: k };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sandbox = await startTraktSandbox(args.trakt);
  const closers = [sandbox.close];
  process.stdout.write(`${sandbox.url}\n`);
  process.stderr.write(`trakt sandbox: client id ${sandbox.state.options.clientId}, control at ${sandbox.url}/_sandbox/state\n`);
  if (args.tautulli.enabled) {
    // Same catalog as the Trakt sandbox, so every matchable play exists there.
    const library = generateTautulliLibrary(catalogFor(args.trakt), { plays: args.tautulli.plays });
    const tautulli = await startTautulliSandbox({ port: args.tautulli.port, library });
    closers.push(tautulli.close);
    process.stderr.write(`tautulli sandbox: ${tautulli.url} (api key ${tautulli.state.options.apiKey}, ${library.sessions.length} history rows)\n`);
  }
  if (args.simkl.enabled) {
    const { timeScale, autoApprove, catalog } = args.trakt;
    const simkl = await startSimklSandbox({ port: args.simkl.port, stateFile: args.simkl.stateFile, timeScale, autoApprove, catalog });
    closers.push(simkl.close);
    process.stderr.write(`simkl sandbox: ${simkl.url} (client id ${simkl.state.options.clientId}, control at ${simkl.url}/_sandbox/state)\n`);
  }
  const stop = (): void => {
    void Promise.all(closers.map((close) => close())).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
