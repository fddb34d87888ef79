// CLI: node dist/test/sandbox/main.js [--port 0] [--fast] [--auto-approve] [--state-file PATH]
// Prints the base URL on stdout (one line, for scripts) and runs until SIGINT/SIGTERM.
import { startTraktSandbox } from './index';
import type { TraktSandboxOptions } from './trakt/types';

function parseArgs(argv: string[]): TraktSandboxOptions {
  const o: TraktSandboxOptions = {};
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
    else throw new Error(`unknown argument ${arg}`);
  }
  return o;
}

async function main(): Promise<void> {
  const sandbox = await startTraktSandbox(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${sandbox.url}\n`);
  process.stderr.write(`trakt sandbox: client id ${sandbox.state.options.clientId}, control at ${sandbox.url}/_sandbox/state\n`);
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
