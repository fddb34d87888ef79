import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { redact } from '../../lib/core/redact';
import { importCsv, importFile, type ImportBatch, type ImportFormat } from '../../lib/importers';
import { statusLine } from '../shared/status';

interface CsvImportDef extends NodeDef {
  format?: ImportFormat;
  batchSize?: number | string;
  output?: 'batch' | 'item';
}

type Send = (msg: Array<NodeMessage | NodeMessage[] | null>) => void;

const FORMATS: readonly ImportFormat[] = ['auto', 'letterboxd', 'tvtime', 'imdb'];

export = function register(RED: NodeAPI): void {
  function CsvImport(this: Node, def: CsvImportDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const batchSize = Math.min(10_000, Math.max(1, Number(def.batchSize) || 1000));
    const perItem = def.output === 'item';
    const status = statusLine(RED, node);

    node.on('input', (msg, send, done) => {
      void run(msg, send).then(
        () => done(),
        (error: unknown) => {
          const message = redact((error as Error).message);
          status.failed('csv-import.status.error', { message: message.slice(0, 60) });
          done(new Error(RED._('csv-import.errors.failed', { message })));
        },
      );
    });

    async function run(msg: NodeMessageInFlow, send: Send): Promise<void> {
      const m = msg as NodeMessageInFlow & { filename?: unknown; format?: unknown };
      const format = FORMATS.includes(m.format as ImportFormat) ? (m.format as ImportFormat) : (def.format ?? 'auto');
      let items = 0;
      let rejected = 0;
      // Never pass the input's file name on: a csv-export downstream would take it as its own and overwrite it.
      const { filename: _filename, format: _format, ...base } = m;
      const onBatch = (batch: ImportBatch) => {
        items += batch.items.length;
        rejected += batch.rejected.length;
        status.working('csv-import.status.reading', { file: batch.file, rows: batch.rowsRead });
        const page = { file: batch.file, done: batch.rowsRead };
        const out1 = !batch.items.length ? null : perItem ? batch.items.map((item) => ({ ...base, payload: item, page }) as NodeMessage) : ({ ...base, payload: batch.items, page } as NodeMessage);
        const out2 = batch.rejected.map((r) => ({ topic: msg.topic, payload: r.row ?? {}, reason: r.reason, file: r.file, line: r.line }) as NodeMessage);
        if (out1 || out2.length) send([out1, out2.length ? out2 : null]);
      };
      if (typeof m.filename === 'string' && m.filename) {
        await importFile(m.filename, { format, batchSize }, onBatch);
      } else if (typeof msg.payload === 'string' || Buffer.isBuffer(msg.payload)) {
        await importCsv(msg.payload, { format, batchSize, fileName: typeof m.filename === 'string' ? m.filename : undefined }, onBatch);
      } else {
        throw new Error(RED._('csv-import.errors.noInput'));
      }
      // The end of the input: sync-history writes what it holds, csv-export finishes its file.
      send([{ ...base, payload: [], complete: true, page: { done: items + rejected } } as NodeMessage, null]);
      (rejected ? status.partial : status.done)('csv-import.status.done', { items, rejected });
    }
  }

  RED.nodes.registerType('clawarr-csv-import', CsvImport as unknown as (this: Node, def: NodeDef) => void);
};
