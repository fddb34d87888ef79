/// <reference lib="dom" />
/**
 * The browser test: `npm start` (Node-RED 4.1 with every example flow, on the loopback sandboxes) driven through
 * Debian's Chromium with playwright-core, the way a user works in the editor. Screenshots of every step go to
 * test-artifacts/screenshots/. It fails, never skips, when /usr/bin/chromium is missing. See DEVELOPERS.md.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../support/node-red-process';
import {
  elementShot,
  expectAttached,
  expectShown,
  launchChromium,
  notes,
  npmStart,
  problems,
  recordNotifications,
  screenshot,
  slug,
  waitForNote,
  type NpmStart,
} from './support';

// What page.evaluate uses of the editor's global.
interface EditorNode {
  id: string;
  type: string;
  z?: string;
  valid?: boolean;
  users?: unknown;
}
interface EditorRED {
  nodes: {
    getType(type: string): unknown;
    eachNode(cb: (n: EditorNode) => void): void;
    eachConfig(cb: (n: EditorNode) => void): void;
    eachWorkspace(cb: (n: EditorNode & { label: string }) => void): void;
    node(id: string): EditorNode | null;
    createCompleteNodeSet(): Array<Record<string, unknown>>;
  };
  workspaces: { active(): string };
  view: { select(selection: string): void };
}
declare const RED: EditorRED;

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; 'node-red': { nodes: Record<string, string> } };
const TYPES = Object.keys(pkg['node-red'].nodes);
const CONFIG_TYPES = TYPES.filter((t) => t.endsWith('-config'));
const NODE_TYPES = TYPES.filter((t) => !t.endsWith('-config'));
const EXAMPLES = readdirSync(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => f.slice(0, -'.json'.length));
const README_EXAMPLE = 'Sync Plex history to Trakt';

/**
 * Per type: the fields its dialog must show, and one field to break and repair: a bad value must mark it
 * `.input-error` (and, saved, the node shows the red triangle), the original value clears it.
 */
interface DialogCase {
  fields: string[];
  field: string;
  kind: 'text' | 'select';
  bad: string;
}
const DIALOGS: Record<string, DialogCase> = {
  'clawarr-tautulli-in': {
    fields: ['#node-input-name', '#node-input-server', '#node-input-mode', '#node-input-plexUsers', '#node-input-mediaTypes', '#clawarr-tautulli-in-watched', '#node-input-grouping', '#node-input-output'],
    field: '#node-input-server',
    kind: 'select',
    bad: '_ADD_', // "Add new clawarr-tautulli-config…": no server chosen
  },
  'clawarr-match': {
    fields: ['#node-input-name', '#node-input-tracker-picker', '#node-input-threshold', '#node-input-overrides-container'],
    field: '#node-input-threshold',
    kind: 'text',
    bad: 'abc',
  },
  'clawarr-sync-history': {
    fields: ['#node-input-name', '#node-input-tracker-picker', '#node-input-what', '#node-input-batchSize', '#node-input-idleSeconds', '#node-input-dryRun'],
    field: '#node-input-batchSize',
    kind: 'text',
    bad: '0',
  },
  'clawarr-scrobble': {
    fields: ['#node-input-name', '#node-input-tracker-picker', '#node-input-mode', '#node-input-coalesceSeconds'],
    field: '#node-input-coalesceSeconds',
    kind: 'text',
    bad: '-1',
  },
  'clawarr-tracker-in': {
    fields: ['#node-input-name', '#node-input-tracker-picker', '#node-input-read', '#node-input-types', '#node-input-output'],
    field: '#node-input-tracker-picker',
    kind: 'select',
    bad: '', // "none"
  },
  'clawarr-csv-import': {
    fields: ['#node-input-name', '#node-input-format', '#node-input-output', '#node-input-batchSize'],
    field: '#node-input-batchSize',
    kind: 'text',
    bad: 'many',
  },
  'clawarr-csv-export': {
    fields: ['#node-input-name', '#node-input-format', '#node-input-filename'],
    field: '#node-input-filename',
    kind: 'text',
    bad: 'exports/', // a folder, not a file
  },
  'clawarr-trakt-config': {
    fields: ['#node-config-input-name', '#node-config-input-apiUrl', '#node-config-input-clientId', '#node-config-input-clientSecret', '#clawarr-trakt-authorize'],
    field: '#node-config-input-apiUrl',
    kind: 'text',
    bad: 'not a url',
  },
  'clawarr-simkl-config': {
    fields: ['#node-config-input-name', '#node-config-input-apiUrl', '#node-config-input-clientId'],
    field: '#node-config-input-apiUrl',
    kind: 'text',
    bad: 'api.simkl.com without a scheme',
  },
  'clawarr-tautulli-config': {
    fields: ['#node-config-input-name', '#node-config-input-url', '#node-config-input-apiKey'],
    field: '#node-config-input-url',
    kind: 'text',
    bad: 'localhost:8181',
  },
};

describe('browser: the editor with npm start (Chromium)', function () {
  this.timeout(30_000);
  let app: NpmStart;
  let browser: Browser;
  let page: Page;

  before(async function () {
    this.timeout(90_000);
    // launchChromium throws, with the apt-get command, when /usr/bin/chromium is missing.
    const [launched, started] = await Promise.allSettled([launchChromium(), npmStart()]);
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'rejected') throw launched.reason;
    if (started.status === 'rejected') throw started.reason;
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    await recordNotifications(page);
    await page.goto(app.url);
    await expectShown(page.locator('.red-ui-palette-node[data-palette-type^="clawarr-"]'), 'the clawarr palette', 60_000);
    // The example flows npm start loaded are drawn.
    await expectAttached(page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group'), 'the first flow on the canvas', 10_000);
    // No sliding trays and notifications: the states are the same, reached at once (faster, and nothing is caught
    // half-way in a screenshot).
    await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
    await page.evaluate(() => ((window as unknown as { $: { fx: { off: boolean } } }).$.fx.off = true));
  });

  // A failed step may leave a dialog open over the editor: close it, so the next test starts from the workspace.
  afterEach(async function () {
    if (!page) return;
    for (const cancel of ['#node-config-dialog-cancel', '#node-dialog-cancel', '#red-ui-clipboard-dialog-cancel']) {
      for (let i = 0; i < 3 && (await page.locator(cancel).isVisible()); i++) await page.locator(cancel).click({ timeout: 2000 }).catch(() => undefined);
    }
    await page.keyboard.press('Escape'); // an open menu
  });

  after(async function () {
    this.timeout(20_000);
    await browser?.close();
    await app?.stop();
  });

  // ---- helpers working the editor like a user ----

  /** Nodes of the loaded flows: [id, type, flow tab]. */
  const nodesOf = (type: string) =>
    page.evaluate((t) => {
      const found: Array<[string, string, string]> = [];
      RED.nodes.eachNode((n) => {
        if (n.type === t) found.push([n.id, n.type, n.z ?? '']);
      });
      return found;
    }, type);

  async function showFlow(tabId: string): Promise<void> {
    await page.locator(`#red-ui-tab-${tabId} a.red-ui-tab-label`).click();
    await page.waitForFunction((z) => RED.workspaces.active() === z, tabId);
  }

  const canvasNode = (id: string) => page.locator(`#red-ui-workspace-chart g.red-ui-flow-node-group[id="${id}"]`);

  async function openNode(id: string): Promise<void> {
    await canvasNode(id).locator('rect.red-ui-flow-node').dblclick();
    await expectShown(page.locator('#node-dialog-ok'), `the edit dialog of ${id}`);
  }

  async function closeNodeDialog(button: 'ok' | 'cancel'): Promise<void> {
    await page.locator(`#node-dialog-${button}`).click();
    await page.locator('#node-dialog-ok').waitFor({ state: 'detached' });
  }

  async function closeConfigDialog(button: 'ok' | 'cancel'): Promise<void> {
    await page.locator(`#node-config-dialog-${button}`).click();
    await page.locator('#node-config-dialog-ok').waitFor({ state: 'detached' });
  }

  /** Sets a field the way a user does (typing, then leaving the field), so Node-RED validates it. */
  async function setField(c: DialogCase, value: string): Promise<void> {
    const field = page.locator(c.field);
    if (c.kind === 'select') {
      await field.selectOption(value);
    } else {
      await field.fill(value);
      await field.press('Tab');
    }
  }

  /** Labels, tips and options showing a raw message key ("match.label.name") instead of its text. */
  const rawKeys = (form: string) =>
    page.evaluate((selector) => {
      const texts = [...document.querySelectorAll(`${selector} label, ${selector} .form-tips, ${selector} option, ${selector} button`)].map((e) => (e.textContent ?? '').trim());
      return texts.filter((t) => /^[\w-]+(\.[\w-]+)+$/.test(t) && !/^\d/.test(t));
    }, form);

  async function checkFields(type: string, form: string): Promise<void> {
    for (const field of DIALOGS[type].fields) await expectAttached(page.locator(`${form} ${field}`), `${type}: field ${field}`);
    await expectShown(page.locator(`${form} ${DIALOGS[type].field}`), `${type}: field ${DIALOGS[type].field}`);
    expect(await rawKeys(form), `${type}: untranslated texts in the dialog`).to.deep.equal([]);
  }

  const errorBadge = (id: string) => canvasNode(id).locator('.red-ui-flow-node-error:not(.hide)');

  // ---- 1 ----
  // (Each part is a describe: mocha runs a describe's own its before its nested describes.)

  describe('1. palette', () => {
    it('shows every clawarr node type in the palette, and registers the config node types', async () => {
      for (const type of NODE_TYPES) await expectShown(page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`), `${type} in the palette`);
      const registered = await page.evaluate((types) => types.filter((t) => !!RED.nodes.getType(t)), CONFIG_TYPES);
      expect(registered).to.deep.equal(CONFIG_TYPES);
      // The config types are listed in the Configuration nodes sidebar (the examples use each of them).
      await page.locator('#red-ui-header-button-sidemenu').click();
      await page.locator('#menu-item-config-nodes').click();
      const sidebar = page.locator('#red-ui-sidebar-node-config');
      for (const type of CONFIG_TYPES) await expectShown(sidebar.locator(`li.red-ui-palette-node-config-type:text-is("${type}")`), `${type} in the Configuration nodes sidebar`);
      await screenshot(page, '01-palette-and-config-nodes');
      await page.locator('.red-ui-palette-node[data-palette-type^="clawarr-"]').first().scrollIntoViewIfNeeded();
      await screenshot(page, '01-palette-clawarr');
      // Nothing went wrong while the editor loaded the flows (no "missing types", no "flows stopped").
      expect(problems(await notes(page)), 'notifications while loading').to.deep.equal([]);
    });

    it(`README screenshot: the "${README_EXAMPLE}" flow`, async () => {
      const example = JSON.parse(readFileSync(join(ROOT, 'examples', `${README_EXAMPLE}.json`), 'utf8')) as EditorNode[];
      const tab = example.find((n) => n.type === 'tab');
      expect(tab, `a tab in ${README_EXAMPLE}.json`).to.be.an('object');
      await showFlow(tab!.id);
      const ids = example.filter((n) => n.z === tab!.id).map((n) => n.id);
      for (const id of ids) await expectAttached(canvasNode(id), `node ${id} of ${README_EXAMPLE}`);
      // Status texts under the nodes ("authorized as …") come over the editor's websocket once the flows run.
      await expectShown(page.locator('#red-ui-workspace-chart .red-ui-flow-node-status-label').filter({ hasText: /\S/ }), 'a node status on the flow', 10_000);
      await page.evaluate(() => RED.view.select(''));
      await page.locator('.red-ui-notification').evaluateAll((list) => list.forEach((n) => ((n as HTMLElement).style.display = 'none')));
      const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
      const boxes = await Promise.all(ids.map((id) => canvasNode(id).boundingBox()));
      const drawn = boxes.filter((b): b is NonNullable<typeof b> => !!b && b.width > 0);
      const pad = 24;
      const left = Math.max(chart!.x, Math.min(...drawn.map((b) => b.x)) - pad);
      const top = Math.max(chart!.y, Math.min(...drawn.map((b) => b.y)) - pad);
      const right = Math.min(chart!.x + chart!.width - 16, Math.max(...drawn.map((b) => b.x + b.width)) + pad); // 16: the scrollbar
      const bottom = Math.min(chart!.y + chart!.height - 16, Math.max(...drawn.map((b) => b.y + b.height)) + pad);
      expect(Math.max(...drawn.map((b) => b.x + b.width)), 'the flow fits the workspace width').to.be.below(chart!.x + chart!.width - 16);
      await screenshot(page, 'readme-flow', { clip: { x: left, y: top, width: right - left, height: bottom - top } });
    });
  });

  // ---- 2 ----

  describe('2. edit dialogs', () => {
    it('covers every type of package.json', () => {
      expect(Object.keys(DIALOGS).sort()).to.deep.equal([...TYPES].sort());
    });

    for (const type of NODE_TYPES) {
      it(`${type}: the dialog opens with its fields; a bad value is flagged, the node shows invalid, the original value clears it`, async () => {
        const c = DIALOGS[type];
        const [node] = await nodesOf(type);
        expect(node, `a ${type} node in the loaded examples`).to.be.an('array');
        const [id, , tab] = node;
        await showFlow(tab);
        await openNode(id);
        await checkFields(type, '#dialog-form');
        const field = page.locator(`#dialog-form ${c.field}`);
        const original = await field.inputValue();
        await expectAttached(page.locator(`#dialog-form ${c.field}:not(.input-error)`), `${type}: ${c.field} valid at first`);
        await elementShot(page.locator('.red-ui-tray').last(), `02-${slug(type)}-dialog`);

        await setField(c, c.bad);
        await expectAttached(page.locator(`#dialog-form ${c.field}.input-error`), `${type}: ${c.field} marked invalid for "${c.bad}"`);
        await elementShot(page.locator('.red-ui-tray').last(), `02-${slug(type)}-invalid-field`);
        await closeNodeDialog('ok');
        await expectAttached(errorBadge(id), `${type}: the red triangle on the node`);
        await elementShot(page.locator('#red-ui-workspace-chart'), `02-${slug(type)}-invalid-node`);

        await openNode(id);
        await expectAttached(page.locator(`#dialog-form ${c.field}.input-error`), `${type}: ${c.field} still marked invalid when opened again`);
        await setField(c, original);
        await expectAttached(page.locator(`#dialog-form ${c.field}:not(.input-error)`), `${type}: ${c.field} valid again with "${original}"`);
        await closeNodeDialog('ok');
        await errorBadge(id).waitFor({ state: 'detached' });
        await elementShot(page.locator('#red-ui-workspace-chart'), `02-${slug(type)}-valid-again`);
      });
    }

    for (const type of CONFIG_TYPES) {
      it(`${type}: the dialog opens from the Configuration nodes sidebar with its fields; a bad value is flagged, the original clears it`, async () => {
        const c = DIALOGS[type];
        await page.locator('#red-ui-header-button-sidemenu').click();
        await page.locator('#menu-item-config-nodes').click();
        const entry = page.locator(`#red-ui-sidebar-node-config li.red-ui-palette-node-config-type:text-is("${type}") + li .red-ui-palette-node`);
        await entry.dblclick();
        await expectShown(page.locator('#node-config-dialog-ok'), `the ${type} dialog`);
        await checkFields(type, '#node-config-dialog-edit-form');
        const field = page.locator(`#node-config-dialog-edit-form ${c.field}`);
        const original = await field.inputValue();
        await elementShot(page.locator('.red-ui-tray').last(), `02-${slug(type)}-dialog`);
        await setField(c, c.bad);
        await expectAttached(page.locator(`#node-config-dialog-edit-form ${c.field}.input-error`), `${type}: ${c.field} marked invalid for "${c.bad}"`);
        await elementShot(page.locator('.red-ui-tray').last(), `02-${slug(type)}-invalid-field`);
        await setField(c, original);
        await expectAttached(page.locator(`#node-config-dialog-edit-form ${c.field}:not(.input-error)`), `${type}: ${c.field} valid again`);
        await closeConfigDialog('cancel');
      });
    }

    // Regression: the field was once saved as `users`, a name Node-RED reserves (it deletes it from `defaults` and
    // warns "the property "users" is internal and cannot be used"), so the usernames were never saved nor deployed.
    it('clawarr-tautulli-in: the Plex usernames typed in the dialog are kept and deployed', async () => {
      const [[id, , tab]] = await nodesOf('clawarr-tautulli-in');
      await showFlow(tab);
      await openNode(id);
      const users = page.locator('#dialog-form #node-input-plexUsers');
      const original = await users.inputValue();
      await users.fill('alice, bob');
      await closeNodeDialog('ok');
      const saved = await page.evaluate((nodeId) => RED.nodes.createCompleteNodeSet().find((n) => n.id === nodeId), id);
      await openNode(id);
      expect(await users.inputValue(), 'the usernames when the dialog opens again').to.equal('alice, bob');
      await users.fill(original);
      await closeNodeDialog('ok');
      expect(saved, 'the node as deployed').to.have.property('plexUsers', 'alice, bob');
    });
  });

  // ---- 3 ----

  describe('3. help in the sidebar', () => {
    for (const type of TYPES) {
      const config = type.endsWith('-config');
      it(`${type}: its help renders with ${config ? 'Details' : 'Inputs, Outputs and Details'}`, async () => {
        await page.locator('#red-ui-tab-help-link-button').click();
        const help = page.locator('.red-ui-sidebar-help-stack');
        const label = await page.evaluate((t) => {
          const def = RED.nodes.getType(t) as { paletteLabel?: string | (() => string) } | undefined;
          return typeof def?.paletteLabel === 'function' ? def.paletteLabel() : (def?.paletteLabel ?? t);
        }, type);
        const entry = help.locator('.red-ui-treeList-label').filter({ has: page.getByText(label, { exact: true }) });
        if (!(await entry.isVisible())) await help.locator('.red-ui-treeList-label', { hasText: pkg.name }).click();
        await entry.click();
        const content = help.locator('.red-ui-help').last();
        const headings = content.locator('h3');
        await expectShown(headings.first(), `${type}: help headings`);
        const texts = (await headings.allTextContents()).map((t) => t.trim());
        for (const heading of config ? ['Details'] : ['Inputs', 'Outputs', 'Details']) expect(texts, `${type}: help headings`).to.include(heading);
        expect((await content.textContent())?.length ?? 0, `${type}: help text`).to.be.above(300);
        await elementShot(page.locator('#red-ui-sidebar'), `03-help-${slug(type)}`);
      });
    }
  });

  // ---- 4 ----

  describe('4. authorization', () => {
    it('trakt-config: "Authorize with Trakt" shows a code, the sandbox approves it, the dialog says "Authorized as …"', async function () {
      this.timeout(45_000);
      // From the Tracker picker of the "Sync history to Trakt" sync-history node (its pencil button).
      const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'Sync history to Trakt.json'), 'utf8')) as EditorNode[];
      const sync = example.find((n) => n.type === 'clawarr-sync-history')!;
      await showFlow(sync.z!);
      await openNode(sync.id);
      await page.locator('#dialog-form .clawarr-tracker-picker a.red-ui-button').click();
      await expectShown(page.locator('#node-config-dialog-ok'), 'the trakt-config dialog');
      await screenshot(page, '04-authorize-dialog');

      await page.locator('#clawarr-trakt-authorize').click();
      const status = page.locator('#clawarr-trakt-auth-status');
      const code = status.locator('.clawarr-trakt-code');
      await expectShown(code, 'the user code', 10_000);
      const userCode = ((await code.textContent()) ?? '').trim();
      expect(userCode).to.match(/^\w{4,}$/);
      const link = status.locator('a[target="_blank"]');
      const href = await link.getAttribute('href');
      expect(href, 'the link to approve').to.match(/^http:\/\/127\.0\.0\.1:\d+\/activate/);
      await screenshot(page, '04-authorize-code-shown');

      // The link opens a second page: the sandbox's trakt.tv/activate.
      const [activate] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
      await activate.waitForLoadState();
      if (await activate.locator('#code').isVisible()) {
        await activate.locator('#code').fill(userCode);
        await activate.locator('#continue').click();
      }
      await expectShown(activate.locator('#user-code', { hasText: userCode }), 'the sandbox asking to approve the code');
      await screenshot(activate, '04-authorize-sandbox-approve');
      await activate.locator('#approve').click();
      await expectShown(activate.locator('#message', { hasText: /approved/i }), 'the sandbox confirming the approval');
      await screenshot(activate, '04-authorize-sandbox-approved');
      await activate.close();

      // The runtime polls Trakt every 5 s, the dialog the runtime every 2 s.
      await code.waitFor({ state: 'detached', timeout: 20_000 });
      await expectShown(status.filter({ hasText: /Authorized as \S+/ }), '"Authorized as …" in the dialog', 5000);
      expect(await status.textContent()).to.match(/Authorized as sandbox-user/);
      await screenshot(page, '04-authorize-authorized');
      await closeConfigDialog('ok');
      await closeNodeDialog('cancel');
    });
  });

  // ---- 5 ----

  /*
   * The examples are imported into the running demo through the menu (Import ▸ Examples ▸ package ▸ name), as a user
   * of `npm start` would. npm start already loaded every example (with the sandbox URLs and credentials filled in),
   * so Node-RED asks about nodes that "already exist": the test answers "Import copy", which adds the example as a new
   * flow with new ids. That keeps the sandbox setup for the rest of the editor (an empty user dir would import the
   * examples pointing at the real trakt.tv, with nothing to authorize against), and it is the harder case: the copies'
   * config nodes have no credentials and their untyped Tracker references still point at the loaded accounts. Each
   * import is then deployed (a full deploy of everything) and must succeed without an error or warning
   * notification: no unrecognised types, no "not properly configured" nodes, no unused config nodes, no failed deploy.
   */
  describe('5. every example imports from the menu and deploys', () => {
    for (const name of EXAMPLES) {
      it(name, async function () {
        this.timeout(30_000);
        const before = await page.evaluate(() => {
          const tabs: string[] = [];
          RED.nodes.eachWorkspace((w) => tabs.push(w.id));
          return tabs;
        });
        const since = (await notes(page)).length;
        await page.locator('#red-ui-header-button-sidemenu').click();
        await page.locator('#menu-item-import').click();
        await page.locator('#red-ui-tab-red-ui-clipboard-dialog-import-tab-examples').click();
        const tree = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
        const item = tree.locator('.red-ui-treeList-label').filter({ has: page.getByText(name, { exact: true }) });
        if (!(await item.isVisible())) await tree.locator('.red-ui-treeList-label', { hasText: pkg.name }).click();
        await item.click();
        await screenshot(page, `05-${slug(name)}-1-import-dialog`);
        await page.locator('#red-ui-clipboard-dialog-ok').click();

        const imported = await waitForNote(page, since, /already exist|Imported/);
        if (/already exist/.test(imported.text)) {
          await page.locator('.red-ui-notification button', { hasText: 'Import copy' }).click();
          await waitForNote(page, since, /Imported/);
        }
        const added = await page.evaluate((old) => {
          const tabs: string[] = [];
          RED.nodes.eachWorkspace((w) => {
            if (!old.includes(w.id)) tabs.push(w.id);
          });
          return tabs;
        }, before);
        expect(added, 'the flow tab the example adds').to.have.length.above(0);
        await showFlow(added[0]);
        await expectAttached(page.locator('#red-ui-workspace-chart g.red-ui-flow-node-group'), 'the imported nodes on the canvas');
        expect(await page.locator('#red-ui-workspace-chart .red-ui-flow-node-error:not(.hide)').count(), 'nodes shown invalid').to.equal(0);
        expect(await page.locator('#red-ui-workspace-chart .red-ui-flow-node-unknown').count(), 'nodes of unknown types').to.equal(0);
        await screenshot(page, `05-${slug(name)}-2-imported`);

        const beforeDeploy = (await notes(page)).length;
        await page.locator('#red-ui-header-button-deploy').click();
        const outcome = await waitForNote(page, beforeDeploy, /Successfully deployed|not properly configured|unknown|unused|failed|error/i);
        // The deploy is over once the button's spinner and the shade over the editor are gone (the button is
        // disabled while it is busy too).
        await page.locator('#red-ui-header-button-deploy .red-ui-deploy-button-spinner').waitFor({ state: 'hidden' });
        await page.locator('#red-ui-header-shade').waitFor({ state: 'hidden' });
        await screenshot(page, `05-${slug(name)}-3-deployed`);
        expect(outcome.text, 'the deploy').to.match(/Successfully deployed/);
        await expectAttached(page.locator('#red-ui-header-button-deploy.disabled'), 'the Deploy button disabled: nothing left to deploy');
        expect(problems(await notes(page, since)), 'error or warning notifications').to.deep.equal([]);
      });
    }
  });
});
