/// <reference lib="dom" />
// The browser test's setup: `npm start` in a temporary user dir, Debian's Chromium through playwright-core, a
// record of every notification the editor shows, screenshots. See DEVELOPERS.md, "The browser test".
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort, ROOT, sleep } from '../support/node-red-process';

export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');

export const CHROMIUM = '/usr/bin/chromium';
/**
 * The machine's network is closed: Chromium's own background connections (component updates, safe browsing lists,
 * sync, QUIC probes) are refused and only slow it down or log errors, so they are switched off. --no-sandbox because
 * CI runs as root in a container.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails (never skips) when Debian's Chromium is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's Chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (as root, or with sudo). CI (.ci/run) installs it.`);
  }
  // launch() gives Chromium a fresh, empty, temporary profile (user data dir), removed on close.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface NpmStart {
  /** The editor, e.g. http://127.0.0.1:41234/ */
  url: string;
  userDir: string;
  /** What npm start printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `npm start` (node dist/scripts/start.js) in a temporary CLAWARR_USER_DIR on a free port, with the sandbox on a free
 * port too; resolves once the editor answers. It runs in its own process group, so stop() ends start.js, Node-RED and
 * the sandboxes together.
 */
export async function npmStart(timeoutMs = 60_000): Promise<NpmStart> {
  const script = join(ROOT, 'dist', 'scripts', 'start.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does).`);
  const userDir = mkdtempSync(join(tmpdir(), 'clawarr-browser-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(process.execPath, [script], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CLAWARR_USER_DIR: userDir, PORT: String(port), SANDBOX_PORT: '0', TRAKT_CLIENT_ID: '', TRAKT_CLIENT_SECRET: '' },
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((done) => child.on('exit', () => ((exited = true), done())));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  const stop = async () => {
    process.off('exit', onExit);
    if (!exited) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // anything of the group still left
    rmSync(userDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`npm start exited before the editor answered:\n${log}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The editor did not answer at ${url} within ${timeoutMs / 1000} s. npm start printed:\n${log}`);
    }
    await sleep(200);
  }
  return { url, userDir, output: () => log, stop };
}

export interface Note {
  text: string;
  className: string;
}

/**
 * Records every notification (`.red-ui-notification`) the editor shows, as it appears: most of them fade after a few
 * seconds, so reading the DOM afterwards would miss some. A notification with an id ("Imported: …" has one) that is
 * still open is updated in place rather than shown anew: an update counts as a new notification too. Installed before
 * the editor's own scripts run.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __clawarrNotes: Note[] };
    w.__clawarrNotes = [];
    new MutationObserver((records) => {
      // One callback per burst of DOM changes: each notification touched in it is recorded once, after the burst.
      const touched = new Set<HTMLElement>();
      for (const record of records) {
        record.addedNodes.forEach((node) => {
          if (node instanceof HTMLElement && node.classList.contains('red-ui-notification')) touched.add(node);
        });
        const target = record.target instanceof Element ? record.target.closest('.red-ui-notification') : null;
        if (target instanceof HTMLElement) touched.add(target);
      }
      touched.forEach((n) => w.__clawarrNotes.push({ text: (n.textContent ?? '').replace(/\s+/g, ' ').trim(), className: n.className }));
    }).observe(document, { childList: true, subtree: true });
  });
}

export function notes(page: Page, since = 0): Promise<Note[]> {
  return page.evaluate((from) => (window as unknown as { __clawarrNotes: Note[] }).__clawarrNotes.slice(from), since);
}

/** Waits for a notification shown after the first `since` ones whose text matches; returns it. */
export async function waitForNote(page: Page, since: number, pattern: RegExp, timeoutMs = 10_000): Promise<Note> {
  const handle = await page.waitForFunction(
    ([from, source, flags]) => {
      const re = new RegExp(source, flags);
      return (window as unknown as { __clawarrNotes: Note[] }).__clawarrNotes.slice(from).find((n) => re.test(n.text)) ?? false;
    },
    [since, pattern.source, pattern.flags] as const,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as Note;
}

/** What no notification may say: Node-RED's texts for missing/unknown types, invalid nodes, failed deploys. */
export const PROBLEM =
  /unrecognised|unknown node|unknown type|missing (node )?types|missing modules|not properly configured|unused configuration|deploy failed|error|stopped|duplicate|could not|failed/i;

export function problems(list: Note[]): Note[] {
  return list.filter((n) => PROBLEM.test(n.text) || /red-ui-notification-(error|warning)/.test(n.className));
}

export async function screenshot(page: Page, name: string, options: { clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', ...options });
}

export async function elementShot(locator: Locator, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await locator.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

/** A file-name-friendly version of a name: "Sync Plex history to Trakt" → "sync-plex-history-to-trakt". */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Waits for `locator` to be attached, with a message that says what the user would have seen instead. */
export async function expectShown(locator: Locator, what: string, timeout = 5000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`expected ${what} (${String(locator)}) within ${timeout} ms`);
  }
}

export async function expectAttached(locator: Locator, what: string, timeout = 5000): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'attached', timeout });
  } catch {
    throw new Error(`expected ${what} (${String(locator)}) within ${timeout} ms`);
  }
}
