import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import { CsvFileWriter, exportItems, type ExportFormat } from '../../lib/exporters';
import type { MediaItem } from '../../lib/schema/types';
import { validateMediaItems } from '../../lib/schema/validate';
import { statusLine } from '../shared/status';

interface OpenFile {
  writer: CsvFileWriter;
  rows: number;
  path: string;
}

interface OpenExport {
  files: Map<ExportFormat, OpenFile>;
  skipped: Array<{ item: MediaItem; reason: string }>;
}

/** `history.csv` → `history-tv.csv`: where TV goes when films go to the Letterboxd file. */
function siblingPath(path: string, suffix: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? `${path.slice(0, dot)}-${suffix}${path.slice(dot)}` : `${path}-${suffix}.csv`;
}

function formatOf(open: OpenExport, file: OpenFile): ExportFormat {
  for (const [format, candidate] of open.files) if (candidate === file) return format;
  return 'generic';
}

interface CsvExportDef extends NodeDef {
  format?: 'auto' | ExportFormat;
  filename?: string;
}

export = function register(RED: NodeAPI): void {
  function CsvExport(this: Node, def: CsvExportDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const status = statusLine(RED, node);
    /** Files being written across messages (tracker-in sends pages): finished by msg.complete. */
    const writers = new Map<string, OpenExport>();
    /** Files a last page (page.done = page.total) finished: the end marker that follows has nothing left to do. */
    const finishedByPage = new Set<string>();
    /** One message at a time: a page must not overtake the one before it, nor the end marker the last page. */
    let queue: Promise<void> = Promise.resolve();

    node.on('input', (msg, send, done) => {
      queue = queue.then(() =>
        run(msg, send).then(
          () => done(),
          (error: unknown) => {
            const message = redact((error as Error).message);
            status.failed('csv-export.status.error', { message: message.slice(0, 60) });
            done(new Error(RED._('csv-export.errors.failed', { message })));
          },
        ),
      );
    });

    async function run(msg: NodeMessageInFlow, send: (m: NodeMessage) => void): Promise<void> {
      const m = msg as NodeMessageInFlow & { filename?: unknown };
      const { valid, invalid } = validateMediaItems(msg.payload ?? []);
      const items = msg.payload === undefined ? [] : valid;
      for (const problem of invalid) node.error(problem.reason, msg);
      const filename = typeof m.filename === 'string' && m.filename ? m.filename : def.filename;
      // A message that is not one page of a longer stream finishes its file at once; pages finish with the
      // last page (page.done = page.total) or msg.complete.
      const page = (msg as { page?: { done?: number; total?: number } }).page;
      const partOfStream = page !== undefined && !(page.total !== undefined && (page.done ?? 0) >= page.total);
      const complete = Object.prototype.hasOwnProperty.call(msg, 'complete') || !partOfStream;
      if (!filename) {
        const result = exportItems(items, { format: def.format ?? 'auto' });
        const rows = result.files.reduce((n, f) => n + f.rows, 0);
        status.done('csv-export.status.writing', { rows });
        // payload: the first file's CSV (Letterboxd's when there are films); every file, CSV included, in msg.files.
        send({ ...msg, payload: result.files[0]?.csv ?? '', files: result.files, skipped: result.skipped } as NodeMessage);
        return;
      }
      // To files: films to the Letterboxd file, the rest (auto) to a generic file beside it; kept open
      // across the pages of one stream, so they append.
      let open = writers.get(filename);
      const endMarker = Object.prototype.hasOwnProperty.call(msg, 'complete');
      if (!open && endMarker && !items.length && finishedByPage.delete(filename)) return;
      finishedByPage.delete(filename);
      if (!open) {
        open = { files: new Map(), skipped: [] };
        writers.set(filename, open);
      }
      const groups = new Map<ExportFormat, MediaItem[]>();
      for (const item of items) {
        const format: ExportFormat = def.format === 'generic' || (def.format !== 'letterboxd' && item.type !== 'movie') ? 'generic' : 'letterboxd';
        groups.set(format, [...(groups.get(format) ?? []), item]);
      }
      for (const [format, group] of groups) {
        let file = open.files.get(format);
        if (!file) {
          const path = format === 'letterboxd' || def.format === 'generic' ? filename : siblingPath(filename, 'tv');
          file = { writer: new CsvFileWriter(path, format), rows: 0, path };
          open.files.set(format, file);
        }
        const added = await file.writer.add(group);
        file.rows += added.rows;
        open.skipped.push(...added.skipped);
      }
      const total = [...open.files.values()].reduce((n, f) => n + f.rows, 0);
      status.working('csv-export.status.writing', { rows: total });
      if (!complete) return;
      writers.delete(filename);
      if (!endMarker && page !== undefined) finishedByPage.add(filename);
      const finished = await Promise.all([...open.files.values()].map(async (f) => ({ ...(await f.writer.end()), format: formatOf(open!, f) })));
      status.done('csv-export.status.done', { rows: total, file: finished.map((f) => f.path).join(', ') });
      send({ ...msg, payload: finished.map((f) => f.path).join('\n'), files: finished.map((f) => ({ name: f.path, format: f.format, rows: f.rows })), skipped: open.skipped } as NodeMessage);
    }

    node.on('close', (done: () => void) => {
      // A file not completed yet is still closed properly, so what was written is readable.
      const all = [...writers.values()].flatMap((w) => [...w.files.values()]);
      void Promise.all(all.map((f) => f.writer.end().catch(() => undefined))).finally(() => done());
    });
  }

  RED.nodes.registerType('clawarr-csv-export', CsvExport as unknown as (this: Node, def: NodeDef) => void);
};
