import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..');

interface Report {
  quick: boolean;
  goalsMet: number;
  goalsJudged: number;
  benches: Array<{ bench: string; finished: boolean; measures?: Array<{ figure: string; measured: string; goal: string; met?: boolean }> }>;
}

// The bench itself runs at Trakt's real limits for minutes; here its quick mode proves the report is
// whole (every bench, every figure with its goal) and that the figures about correctness hold.
describe('npm run bench: one report of every figure with its goal', function () {
  this.timeout(120_000);
  let report: Report;
  let printed: string;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawarr-bench-report-'));
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'dist', 'scripts', 'bench-all.js'), '--quick'], {
      env: { ...process.env, BENCH_RESULTS_DIR: dir },
      maxBuffer: 16 * 1024 * 1024,
    });
    printed = stdout;
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
  });

  it('runs all four benches to the end and writes them into report.json', () => {
    expect(report.quick).to.equal(true);
    expect(report.benches.map((b) => [b.bench, b.finished])).to.deep.equal([
      ['sync-history', true],
      ['plex-to-trakt', true],
      ['scrobble', true],
      ['csv-import', true],
    ]);
  });

  it('gives every figure a measured value, and every judged figure a goal', () => {
    for (const bench of report.benches) {
      expect(bench.measures, bench.bench).to.be.an('array').with.length.above(0);
      for (const m of bench.measures!) {
        expect(m.measured, `${bench.bench}: ${m.figure}`).to.be.a('string').and.not.equal('');
        if (m.met !== undefined) expect(m.goal, `${bench.bench}: ${m.figure}`).to.not.equal('');
      }
    }
  });

  it('prints the same table it saves, with the count of goals met', () => {
    expect(printed).to.include('clawarr bench report');
    expect(printed).to.include(`goals met: ${report.goalsMet} of ${report.goalsJudged}`);
    for (const bench of report.benches) for (const m of bench.measures!) expect(printed).to.include(m.figure);
  });

  it('meets the goals about correctness even on a small run: nothing lost, no duplicate, no 429', () => {
    const correctness = /written|nothing lost|no duplicate|one play each|429|rejected|answered/;
    const missed = report.benches.flatMap((b) => b.measures!.filter((m) => correctness.test(`${m.figure} ${m.goal}`) && m.met === false).map((m) => `${b.bench}: ${m.figure} = ${m.measured}`));
    expect(missed).to.deep.equal([]);
  });
});
