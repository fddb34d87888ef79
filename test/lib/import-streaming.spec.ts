import { expect } from 'chai';
import { importCsv, type ImportBatch } from '../../lib/importers';
import { letterboxdDiaryCsv, letterboxdDiaryStream } from './import-generate';

const ROWS = 200_000;
const BATCH = 500;

describe('lib/importers: streaming', function () {
  this.timeout(120_000);

  it(`a ${ROWS.toLocaleString('en')}-row diary streams through in batches without holding the rows`, async () => {
    let produced = 0;
    let delivered = 0;
    let peakBuffered = 0;
    let firstBatchAt: number | undefined;
    let batches = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const started = Date.now();

    const summary = await importCsv(letterboxdDiaryStream(ROWS, (n) => (produced = n)), { fileName: 'diary.csv', batchSize: BATCH }, async (batch: ImportBatch) => {
      batches += 1;
      firstBatchAt ??= produced;
      expect(batch.items.length + batch.rejected.length).to.be.at.most(BATCH);
      // Rows the source has made but the receiver has not had yet: held somewhere in the importer.
      peakBuffered = Math.max(peakBuffered, produced - delivered);
      delivered += batch.items.length + batch.rejected.length;
      expect(batch.rowsRead).to.equal(delivered);
      if (batches % 40 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
      // A slow receiver: the reading must wait for it.
      if (batches % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    });

    expect(summary.items).to.equal(ROWS);
    expect(summary.rejected).to.equal(0);
    expect(delivered).to.equal(ROWS);
    expect(batches).to.equal(ROWS / BATCH);
    expect(firstBatchAt, 'the first batch arrives long before the end').to.be.below(ROWS / 10);
    expect(peakBuffered, 'rows held between source and receiver').to.be.at.most(2 * BATCH);
    // Holding the 200,000 items takes about 200 MB of heap; streaming grows ~40 MB (garbage not yet collected).
    expect((heapPeak - heapBefore) / 1024 / 1024, 'heap growth in MB').to.be.below(100);
    expect(Date.now() - started).to.be.below(60_000);
  });

  it('letterboxdDiaryCsv makes a diary that imports row for row', async () => {
    const csv = letterboxdDiaryCsv(1000);
    let items = 0;
    const summary = await importCsv(csv, { fileName: 'diary.csv', batchSize: 100 }, (b) => void (items += b.items.length));
    expect(summary.items).to.equal(1000);
    expect(items).to.equal(1000);
  });
});
