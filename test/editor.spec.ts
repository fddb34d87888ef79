// The editor side of every node, checked without a browser: the .html (template, registerType, help), its
// catalog (locales/en-US), its icon, and the status calls of its runtime. The editor scripts are run in a
// node:vm context with a stand-in RED, so the definition Node-RED would get (defaults, validators, labels)
// is checked as Node-RED would use it.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runInNewContext } from 'node:vm';

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
/** [type, folder name] per node type, from package.json: clawarr-match → match. */
const TYPES = Object.entries(pkg['node-red'].nodes).map(([type, file]) => [type, basename(file, '.js')] as const);
const NAMES = TYPES.map(([, name]) => name);
const ICONS = join(ROOT, 'icons');
const TRACKER_CONFIGS = ['clawarr-trakt-config', 'clawarr-simkl-config'];
/** Keys Node-RED resolves from its own catalogs ("node-red:common.label.name"), not from ours. */
const CORE_KEY = /^node-red:/;
/** What an untranslated text looks like: a key such as "match.label.name". */
const RAW_KEY = /^[\w-]+(\.[\w-]+)+$/;

type Catalog = Record<string, unknown>;
const read = (...parts: string[]) => readFileSync(join(ROOT, ...parts), 'utf8');
const htmlOf = (name: string) => read('nodes', name, `${name}.html`);
const catalogOf = (name: string) => JSON.parse(read('nodes', name, 'locales', 'en-US', `${name}.json`)) as Catalog;
const tsFilesOf = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
const isConfig = (type: string) => type.endsWith('-config');

/** The value at a dotted path of a catalog, or undefined. */
function lookup(catalog: Catalog, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' ? (at as Catalog)[part] : undefined), catalog);
}

/** What Node-RED's def._ does: the text for the key (with __name__ substitutions), or the key when there is none. */
function translator(catalog: Catalog): (key: string, subs?: Record<string, unknown>) => string {
  return (key, subs = {}) => {
    const text = lookup(catalog, key);
    if (typeof text !== 'string') return key;
    return Object.entries(subs).reduce((s, [name, value]) => s.split(`__${name}__`).join(String(value)), text);
  };
}

/** The <script> blocks of an editor file, by kind. */
function scriptsOf(html: string): { templates: Map<string, string>; helps: Map<string, string>; code: string[] } {
  const templates = new Map<string, string>();
  const helps = new Map<string, string>();
  const code: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1];
    const template = /data-template-name="([^"]+)"/.exec(attrs);
    const help = /data-help-name="([^"]+)"/.exec(attrs);
    if (template) templates.set(template[1], m[2]);
    else if (help) helps.set(help[1], m[2]);
    else if (/type="text\/javascript"/.test(attrs)) code.push(m[2]);
  }
  return { templates, helps, code };
}

// ---------------------------------------------------------------- the definitions, as Node-RED gets them

interface Prop {
  value: unknown;
  type?: string;
  required?: boolean;
  validate?: (this: unknown, v: unknown, opt?: unknown) => unknown;
}
interface Def {
  category: string;
  defaults: Record<string, Prop>;
  credentials?: Record<string, Prop>;
  icon?: string;
  inputs?: number;
  outputs?: number;
  paletteLabel?: string | ((this: Def) => string);
  label?: (this: unknown) => string;
  inputLabels?: (this: unknown, i: number) => string;
  outputLabels?: (this: unknown, i: number) => string;
  _: (key: string, subs?: Record<string, unknown>) => string;
}

/** Config nodes the stand-in RED.nodes.node() knows, by id: one of each kind. */
const CONFIGS: Record<string, { id: string; type: string }> = {
  trakt: { id: 'trakt', type: 'clawarr-trakt-config' },
  simkl: { id: 'simkl', type: 'clawarr-simkl-config' },
  tautulli: { id: 'tautulli', type: 'clawarr-tautulli-config' },
};

/** Runs editor code as the editor would load it, with a stand-in RED; returns the registered definitions and window. */
function runEditorCode(code: string[], defs = new Map<string, Def>()): { defs: Map<string, Def>; window: Record<string, unknown> } {
  const window: Record<string, unknown> = {};
  const RED = {
    nodes: {
      registerType(type: string, def: Def) {
        const name = NAMES[TYPES.findIndex(([t]) => t === type)];
        def._ = translator(name ? catalogOf(name) : {});
        defs.set(type, def);
      },
      getType: (type: string) => defs.get(type),
      node: (id: string) => CONFIGS[id] ?? null,
      eachConfig: (fn: (c: unknown) => void) => Object.values(CONFIGS).forEach(fn),
      eachNode: () => undefined,
    },
    settings: {},
    events: { on: () => undefined },
    _: (key: string) => key,
  };
  // The .html files load resources/ with a script element; nothing is fetched here.
  const document = { getElementById: () => null, head: { appendChild: (x: unknown) => x }, createElement: () => ({}) };
  const $ = () => {
    throw new Error('jQuery is only for dialogs: not at load time');
  };
  for (const source of code) runInNewContext(source, { RED, window, document, $, console });
  return { defs, window };
}

const definitions = new Map<string, Def>();
for (const [, name] of TYPES) runEditorCode(scriptsOf(htmlOf(name)).code, definitions);

/** A node as the editor has it: its defaults, and `_` from its definition. */
function nodeOf(def: Def, values: Record<string, unknown> = {}): Record<string, unknown> {
  const node: Record<string, unknown> = { _: def._ };
  for (const [prop, spec] of Object.entries(def.defaults)) node[prop] = spec.value;
  if ('tracker' in def.defaults) node.tracker = 'trakt';
  if ('server' in def.defaults) node.server = 'tautulli';
  return Object.assign(node, values);
}

/** Values a validator should turn down; every validated field refuses at least one of them with a message. */
const BAD_VALUES: unknown[] = ['x', ',', 'a b', '/', -1, 1e9, {}, [{}], 'not a value /'];

// ---------------------------------------------------------------- i18n keys in the sources

/** Keys of the node's catalog an .html uses: data-i18n, this._ / def._ / RED._ with a literal, and its t() helper. */
function htmlKeys(html: string): { keys: string[]; prefixes: string[] } {
  const keys: string[] = [];
  const prefixes: string[] = [];
  for (const m of html.matchAll(/data-i18n="([^"]+)"/g)) for (const part of m[1].split(';')) keys.push(part.replace(/^\[[^\]]+\]/, '').trim());
  for (const m of html.matchAll(/\b(?:this|def|RED)\._\(\s*'([^']+)'(\s*\+)?/g)) (m[2] ? prefixes : keys).push(m[1]);
  // The node's t(key) helper prefixes its catalog name: def._('match.' + key, …).
  const helper = /def\._\(\s*'([\w-]+)\.'\s*\+\s*key/.exec(html);
  if (helper) for (const m of html.matchAll(/\bt\(\s*'([^']+)'(\s*\+)?/g)) (m[2] ? prefixes : keys).push(`${helper[1]}.${m[1]}`);
  return { keys, prefixes: prefixes.map((p) => p.replace(/\.$/, '')) };
}

/** Keys a runtime .ts file uses: every '<node>.…' literal, and the fixed part of `<node>.….${…}` templates. */
function tsKeys(source: string): { keys: string[]; prefixes: string[] } {
  const keys = [...source.matchAll(/'([a-z][\w-]*)\.([A-Za-z][\w.]*)'/g)].filter((m) => NAMES.includes(m[1])).map((m) => `${m[1]}.${m[2]}`);
  const prefixes = [...source.matchAll(/`([a-z][\w-]*)\.([\w.]*)\$\{/g)].filter((m) => NAMES.includes(m[1])).map((m) => `${m[1]}.${m[2]}`.replace(/\.$/, ''));
  return { keys, prefixes };
}

/** The section titles (h3) of a help text, in order. */
const sectionsOf = (help: string) => [...help.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => m[1].trim());
/** The part of a help text under one h3, up to the next. */
function sectionOf(help: string, title: string): string {
  const start = help.indexOf(`<h3>${title}</h3>`);
  if (start < 0) return '';
  const next = help.indexOf('<h3>', start + 1);
  return help.slice(start, next < 0 ? undefined : next);
}

/** The colours an SVG paints with: fill and stroke attributes and style properties, per drawing element. */
function svgPaints(svg: string): Array<{ element: string; fill?: string; stroke?: string }> {
  const root = /<svg\b([^>]*)>/.exec(svg)?.[1] ?? '';
  const attr = (attrs: string, name: string) => new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1] ?? new RegExp(`${name}\\s*:\\s*([^;"]+)`).exec(/style="([^"]*)"/.exec(attrs)?.[1] ?? '')?.[1];
  const rootFill = attr(root, 'fill');
  return [...svg.matchAll(/<(path|circle|rect|ellipse|polygon|polyline|line|text|use)\b([^>]*)>/g)].map((m) => ({
    element: m[1],
    // An element without a fill is painted black, unless the svg element sets one.
    fill: attr(m[2], 'fill') ?? rootFill ?? (m[1] === 'line' ? 'none' : undefined),
    stroke: attr(m[2], 'stroke'),
  }));
}
const WHITE = /^(#fff|#ffffff|white|none)$/i;

// ---------------------------------------------------------------- the specs

describe('editor: every node type in package.json', () => {
  it('finds the ten node types, each with its .html and catalog', () => {
    expect(TYPES.map(([type]) => type)).to.have.lengthOf(10);
    for (const [type, name] of TYPES) {
      expect(existsSync(join(ROOT, 'nodes', name, `${name}.html`)), `${type}: nodes/${name}/${name}.html`).to.equal(true);
      expect(Object.keys(catalogOf(name)), `${type}: its catalog has one top-level key, its name`).to.deep.equal([name]);
    }
  });

  for (const [type, name] of TYPES) {
    describe(type, () => {
      const html = htmlOf(name);
      const { templates, helps } = scriptsOf(html);
      const help = helps.get(type) ?? '';
      const def = definitions.get(type)!;
      const catalog = catalogOf(name);
      const _ = translator(catalog);

      it(`registers itself once, with the literal RED.nodes.registerType('${type}'`, () => {
        expect(html.match(/RED\.nodes\.registerType\(/g), 'registerType calls').to.have.lengthOf(1);
        expect(html.split(`RED.nodes.registerType('${type}'`), 'the literal call').to.have.lengthOf(2);
        expect(def, 'the definition the editor gets').to.be.an('object');
      });

      it('has one edit template and one help text, both named for its type', () => {
        const names = (kind: string) => [...html.matchAll(new RegExp(`data-${kind}-name="([^"]+)"`, 'g'))].map((m) => m[1]);
        expect(names('template')).to.deep.equal([type]);
        expect(names('help')).to.deep.equal([type]);
        expect(templates.get(type)?.trim(), 'the template').to.not.equal('');
      });

      it(`help: a one-paragraph summary first, then ${isConfig(type) ? 'Details and References' : 'Inputs, Outputs, Details and References'} as h3 sections`, () => {
        expect(help.trim(), 'the help starts with a <p> summary (the palette tooltip)').to.match(/^<p>[^<]*\w[\s\S]*?<\/p>/);
        const sections = sectionsOf(help);
        const wanted = isConfig(type) ? ['Details', 'References'] : ['Inputs', 'Outputs', 'Details', 'References'];
        expect(sections.filter((s) => wanted.includes(s)), 'the sections, in this order').to.deep.equal(wanted);
        expect(sections.filter((s) => !['Inputs', 'Outputs', 'Properties', 'Details', 'References'].includes(s)), 'other h3 sections').to.deep.equal([]);
        expect(help, 'no h1, h2 or h5').not.to.match(/<h[125]\b/);
        expect(help.indexOf('<h4>'), 'sub-sections (h4) only inside a section').to.satisfy((i: number) => i < 0 || i > help.indexOf('<h3>'));
        expect(sectionOf(help, 'References'), 'References has links').to.match(/<a href="https:\/\//);
      });

      it('help: properties in dl.message-properties, each dt with a span.property-type; several outputs in ol.node-ports', () => {
        const lists = [...help.matchAll(/<dl\b([^>]*)>([\s\S]*?)<\/dl>/g)];
        expect(lists.length, 'property lists').to.be.greaterThan(0);
        for (const [, attrs, body] of lists) {
          expect(attrs, 'a <dl> of the help').to.match(/class="message-properties"/);
          const terms = [...body.matchAll(/<dt\b[^>]*>([\s\S]*?)<\/dt>/g)].map((m) => m[1]);
          expect(terms.length, 'its <dt>s').to.be.greaterThan(0);
          for (const term of terms) expect(term, `<dt>${term}</dt>`).to.match(/^\s*\S[^<]*<span class="property-type">[^<]+<\/span>\s*$/);
        }
        if (isConfig(type)) return;
        expect(sectionOf(help, 'Inputs'), 'Inputs').to.match(/<dl class="message-properties">/);
        const outputs = sectionOf(help, 'Outputs');
        if ((def.outputs ?? 0) > 1) {
          const ports = /<ol class="node-ports">([\s\S]*)<\/ol>/.exec(outputs)?.[1] ?? '';
          expect(ports.match(/<li>/g), 'one <li> per output').to.have.lengthOf(def.outputs!);
        } else {
          expect(outputs, 'one output: one list').to.match(/<dl class="message-properties">/).and.not.match(/node-ports/);
        }
      });

      it('uses only i18n keys its catalog has (html, editor labels, and the runtime .ts)', () => {
        const html_ = htmlKeys(html);
        const ts = tsFilesOf(join('nodes', name)).map((file) => ({ file, ...tsKeys(read(file)) }));
        const missing: string[] = [];
        const foreign: string[] = [];
        const check = (where: string, keys: string[], prefixes: string[]) => {
          for (const key of keys.filter((k) => !CORE_KEY.test(k))) {
            if (!key.startsWith(`${name}.`)) foreign.push(`${where}: ${key}`);
            else if (typeof lookup(catalog, key) !== 'string') missing.push(`${where}: ${key}`);
          }
          for (const prefix of prefixes) {
            const at = lookup(catalog, prefix);
            if (prefix !== name && !prefix.startsWith(`${name}.`)) foreign.push(`${where}: ${prefix}.…`);
            else if (!at || typeof at !== 'object' || !Object.keys(at).length) missing.push(`${where}: ${prefix}.…`);
          }
        };
        check(`${name}.html`, html_.keys, html_.prefixes);
        for (const { file, keys, prefixes } of ts) check(file, keys, prefixes);
        expect(html_.keys.length, 'keys found in the html').to.be.greaterThan(3);
        expect(missing, 'keys missing from the catalog').to.deep.equal([]);
        expect(foreign, "keys of another node's catalog (each node sees only its own)").to.deep.equal([]);
        for (const { file } of ts) {
          // The key argument (up to its first comma or closing parenthesis) must hold a literal: a variable key cannot be checked.
          const args = [...read(file).matchAll(/RED\._\(([^,)]*)/g)].map((m) => m[1]);
          expect(args.filter((a) => !/['`]/.test(a)), `${file}: RED._ with a key that is not written out`).to.deep.equal([]);
        }
      });

      it('shows no hard-coded words in its edit dialog: every text comes from data-i18n', () => {
        const text = (templates.get(type) ?? '')
          .replace(/<[^>]*>/g, ' ')
          .replace(/&nbsp;/g, ' ')
          .trim();
        expect(text, 'text outside data-i18n').not.to.match(/[A-Za-z]/);
      });

      it('palette label, node label and port labels are catalog texts, not keys', () => {
        const texts: string[] = [];
        const palette = typeof def.paletteLabel === 'function' ? def.paletteLabel.call(def) : def.paletteLabel;
        expect(typeof def.paletteLabel, 'paletteLabel is a function using this._').to.equal('function');
        texts.push(String(palette));
        if (def.label) texts.push(def.label.call(nodeOf(def)));
        if (!isConfig(type)) {
          expect(def.inputLabels, 'inputLabels').to.be.a('function');
          expect(def.outputLabels, 'outputLabels').to.be.a('function');
          for (let i = 0; i < (def.inputs ?? 0); i++) texts.push(def.inputLabels!.call(nodeOf(def), i));
          for (let i = 0; i < (def.outputs ?? 0); i++) texts.push(def.outputLabels!.call(nodeOf(def), i));
        }
        expect(palette, 'the palette label').to.equal(_(`${name}.paletteLabel`));
        for (const text of texts) expect(text, 'a label').to.be.a('string').and.not.match(RAW_KEY);
      });

      it('validates every field: its default is valid, a bad value gets a message from the catalog', () => {
        const fields = [...Object.entries(def.defaults), ...Object.entries(def.credentials ?? {})];
        const node = nodeOf(def);
        for (const [prop, spec] of fields) {
          // The name is free text; authorizedAs is a hidden field the Authorize button fills in.
          if (prop === 'name' || prop === 'authorizedAs') continue;
          const isCredential = !!def.credentials && prop in def.credentials;
          // A config node picked by Node-RED's own picker: its type is the check.
          if (spec.type && !isCredential) {
            expect(spec.required, `${prop}: a config node is required`).to.equal(true);
            continue;
          }
          expect(spec.validate, `${prop}: a validate function`).to.be.a('function');
          expect(spec.validate!.length, `${prop}: validate(v, opt), so Node-RED shows the returned message`).to.equal(2);
          // A new node with its defaults (and, for a required account, one picked) is valid.
          if (!isCredential) expect(spec.validate!.call(node, node[prop], {}), `${prop}: the default ${JSON.stringify(node[prop])}`).to.equal(true);
          const answers = BAD_VALUES.map((bad) => spec.validate!.call(node, bad, {}));
          const messages = answers.filter((a): a is string => typeof a === 'string');
          expect(messages.length, `${prop}: a message for a bad value`).to.be.greaterThan(0);
          expect(answers.filter((a) => a !== true && typeof a !== 'string'), `${prop}: true or a message, never false`).to.deep.equal([]);
          for (const message of messages) expect(message, `${prop}: the message`).not.to.match(RAW_KEY);
        }
      });

      it('picks its accounts or server from the right kind of config node only', () => {
        if ('tracker' in def.defaults) {
          const tracker = def.defaults.tracker;
          // Untyped on purpose: a Trakt OR a Simkl account (resources/tracker-picker.js builds the select).
          expect(tracker.type, 'tracker: no single config type').to.equal(undefined);
          expect(tracker.required, 'tracker: required').to.equal(true);
          expect(tracker.validate!.call(nodeOf(def), 'trakt', {}), 'a Trakt account').to.equal(true);
          expect(tracker.validate!.call(nodeOf(def), 'simkl', {}), 'a Simkl account').to.equal(true);
          expect(tracker.validate!.call(nodeOf(def), 'tautulli', {}), 'a Tautulli server').to.be.a('string');
          expect(tracker.validate!.call(nodeOf(def), '', {}), 'nothing').to.be.a('string');
          expect(html, 'the tracker picker').to.include("ClawarrTrackerPicker.prepare(this, { input: '#node-input-tracker' })");
        }
        if ('server' in def.defaults) expect(def.defaults.server).to.include({ type: 'clawarr-tautulli-config', required: true });
        const configRefs = Object.entries(def.defaults).filter(([, spec]) => spec.type);
        for (const [prop, spec] of configRefs) expect(spec.type, `${prop}: a clawarr config type`).to.match(/^clawarr-[\w-]+-config$/);
      });

      if (!isConfig(type)) {
        it('has an icon of its own: icons/clawarr-*.svg, white on transparent', () => {
          expect(def.icon, 'icon').to.match(/^clawarr-[\w-]+\.svg$/);
          const file = join(ICONS, def.icon!);
          expect(existsSync(file), `icons/${def.icon}`).to.equal(true);
          const paints = svgPaints(readFileSync(file, 'utf8'));
          expect(paints.length, 'drawing elements').to.be.greaterThan(0);
          for (const paint of paints) {
            expect(paint.fill, `${def.icon}: fill of a <${paint.element}>`).to.match(WHITE);
            if (paint.stroke !== undefined) expect(paint.stroke, `${def.icon}: stroke of a <${paint.element}>`).to.match(WHITE);
          }
        });
      }
    });
  }

  it('no two node types share an icon, and every file in icons/ is a white clawarr-*.svg', () => {
    const used = TYPES.filter(([type]) => !isConfig(type)).map(([type]) => definitions.get(type)!.icon);
    expect(new Set(used).size, `icons: ${used.join(', ')}`).to.equal(used.length);
    for (const file of readdirSync(ICONS)) {
      expect(file, 'icon file name').to.match(/^clawarr-[a-z0-9-]+\.svg$/);
      for (const paint of svgPaints(readFileSync(join(ICONS, file), 'utf8'))) expect(`${paint.fill} ${paint.stroke ?? 'none'}`, file).to.match(/^(#fff|#ffffff|white|none) (#fff|#ffffff|white|none)$/i);
    }
  });

  it('no node defines a property Node-RED reserves (the editor drops it from the definition: the field is never saved)', () => {
    // Node-RED's editor (registerType in red.js) deletes these from `defaults`, with a console warning.
    const editor = readFileSync(require.resolve('@node-red/editor-client/public/red/red.js'), 'utf8');
    const list = /const internalProperties = (\[[^\]]*\])/.exec(editor);
    expect(list, "the editor's internalProperties").to.not.equal(null);
    const reserved = runInNewContext(list![1]) as string[];
    expect(reserved).to.include.members(['id', 'type', 'wires', 'users']);
    const found = TYPES.flatMap(([type]) => Object.keys(definitions.get(type)!.defaults).map((prop) => `${type}.${prop}`)).filter((p) => reserved.includes(p.split('.')[1]));
    expect(found).to.deep.equal([]);
  });
});

describe('editor: shared resources', () => {
  it('tracker-picker.js offers Trakt and Simkl accounts only, and its texts are in simkl-config.picker', () => {
    const { window } = runEditorCode([read('resources', 'tracker-picker.js')]);
    const picker = window.ClawarrTrackerPicker as { types: string[]; isTracker(id: string): boolean };
    expect(picker.types).to.deep.equal(TRACKER_CONFIGS);
    expect(['trakt', 'simkl', 'tautulli', 'nope', ''].filter((id) => picker.isTracker(id))).to.deep.equal(['trakt', 'simkl']);
    const source = read('resources', 'tracker-picker.js');
    const keys = [...new Set([...source.matchAll(/\bt\(\s*'([^']+)'/g)].map((m) => m[1]))];
    const fallback = runInNewContext(`(${/var FALLBACK = (\{[\s\S]*?\});/.exec(source)![1]})`) as Record<string, string>;
    const picker_ = lookup(catalogOf('simkl-config'), 'simkl-config.picker') as Record<string, string>;
    expect(keys.length).to.be.greaterThan(3);
    expect(keys.filter((k) => typeof picker_[k] !== 'string'), 'keys missing from simkl-config.picker').to.deep.equal([]);
    expect(fallback, 'the fallback texts are the catalog texts').to.deep.equal(picker_);
  });

  it("authorize-widget.js and config-dialog.js use keys both tracker config catalogs have (and tautulli-config's test.*)", () => {
    const widget = read('resources', 'authorize-widget.js');
    const keys = [...new Set([...widget.matchAll(/'((?:auth|errors)\.[A-Za-z]\w*)'/g)].map((m) => m[1]))];
    // errorText(xhr, t, group) in config-dialog.js; the states the widget shows as t('auth.' + state).
    const dynamic = [...['noResponse', 'notFound', 'unexpected', 'denied', 'expired', 'invalid', 'used', 'error'].map((k) => `auth.${k}`)];
    expect(keys.length).to.be.greaterThan(10);
    for (const name of ['trakt-config', 'simkl-config']) {
      const catalog = catalogOf(name);
      expect([...keys, ...dynamic].filter((k) => typeof lookup(catalog, `${name}.${k}`) !== 'string'), `missing from ${name}`).to.deep.equal([]);
    }
    const tautulli = catalogOf('tautulli-config');
    expect(['noResponse', 'notFound', 'unexpected'].filter((k) => typeof lookup(tautulli, `tautulli-config.test.${k}`) !== 'string')).to.deep.equal([]);
  });

  it('the account status keys nodes/shared builds (`${prefix}.status.…`) are in every tracker config catalog', () => {
    const shared = tsFilesOf(join('nodes', 'shared'))
      .map((file) => read(file))
      .join('\n');
    const keys = [...new Set([...shared.matchAll(/`\$\{prefix\}\.([\w.]+)`/g)].map((m) => m[1]))];
    const prefixes = NAMES.flatMap((name) => tsFilesOf(join('nodes', name)).flatMap((file) => [...read(file).matchAll(/shareAccount\(RED, node, '([\w-]+)'/g)].map((m) => m[1])));
    expect(keys).to.include.members(['status.reauth', 'status.unauthorized', 'status.refreshing', 'status.authorized']);
    expect(prefixes.sort()).to.deep.equal(['simkl-config', 'trakt-config']);
    for (const prefix of prefixes) expect(keys.filter((k) => typeof lookup(catalogOf(prefix), `${prefix}.${k}`) !== 'string'), prefix).to.deep.equal([]);
  });
});

describe('editor: status colours', () => {
  const runtime = ['shared', ...NAMES].flatMap((dir) => tsFilesOf(join('nodes', dir))).filter((file) => !file.endsWith(join('shared', 'status.ts')));

  it('nodes/**/*.ts set a status only through nodes/shared/status.ts: no .status( calls, no fill or shape literals', () => {
    const offences = runtime.flatMap((file) =>
      read(file)
        .split('\n')
        .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), at: `${file}:${i + 1}` }))
        // res.status(…) is Express's, for admin routes.
        .filter(({ line }) => /(?<!\bres)\.status\(/.test(line) || /\b(fill|shape)\s*:/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    expect(runtime.length, 'runtime files checked').to.be.greaterThan(10);
    expect(offences).to.deep.equal([]);
  });

  it('every status a node sets is a key of its own catalog under .status', () => {
    for (const name of NAMES) {
      for (const file of tsFilesOf(join('nodes', name))) {
        const calls = [...read(file).matchAll(/status\.(?:working|done|partial|waiting|failed|blocked|idle)\)?\(\s*'([^']+)'|status\.overlay\(\s*'\w+',\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
        expect(calls.filter((key) => !key.startsWith(`${name}.status.`)), file).to.deep.equal([]);
      }
    }
  });
});
