/**
 * `npm run bench`: runs every bench in its own process (so one's memory and timers cannot colour the
 * next), then prints one table of every figure next to its goal and writes bench-results/report.json.
 * `--quick` runs each on a small input with the sandbox's clock sped up: a smoke run of the pipeline,
 * whose throughput figures are not judged.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { formatTable, loadSection, mark, RESULTS_DIR, sectionFile, type BenchSection } from './bench-report';

interface Bench {
  bench: string;
  script: string;
  quickArgs: string[];
  nodeArgs?: string[];
}

const BENCHES: Bench[] = [
  { bench: 'sync-history', script: 'bench.js', quickArgs: ['--plays', '500', '--time-scale', '0.01'] },
  { bench: 'plex-to-trakt', script: 'bench-plex.js', quickArgs: ['--plays', '500', '--time-scale', '0.01'] },
  { bench: 'scrobble', script: 'bench-scrobble.js', quickArgs: ['--events', '3'] },
  // --expose-gc: the importer's peak memory is measured from a collected heap.
  { bench: 'csv-import', script: 'bench-csv.js', quickArgs: ['--rows', '20000'], nodeArgs: ['--expose-gc'] },
];

interface Outcome {
  bench: string;
  exitCode: number | null;
  section?: BenchSection;
}

function run(bench: Bench, quick: boolean): Outcome {
  // A figure left from an earlier run must never be reported as this run's.
  rmSync(sectionFile(bench.bench), { force: true });
  const args = [...(bench.nodeArgs ?? []), join(__dirname, bench.script), ...(quick ? bench.quickArgs : [])];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env: process.env });
  return { bench: bench.bench, exitCode: result.status, section: result.status === 0 ? loadSection(bench.bench) : undefined };
}

function main(): void {
  const quick = process.argv.includes('--quick');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const outcomes = BENCHES.map((bench) => run(bench, quick));

  const rows: string[][] = [['bench', 'figure', 'measured', 'goal', 'met']];
  for (const outcome of outcomes) {
    if (!outcome.section) {
      rows.push([outcome.bench, 'the bench did not finish', `exit code ${String(outcome.exitCode)}`, 'finishes', 'NO']);
      continue;
    }
    for (const m of outcome.section.measures) rows.push([outcome.bench, m.figure, m.measured, m.goal, mark(m.met)]);
  }
  // A bench that did not finish counts as one missed goal.
  const judged: boolean[] = outcomes.flatMap((o) => (o.section ? o.section.measures.flatMap((m) => (m.met === undefined ? [] : [m.met])) : [false]));
  const missed = judged.filter((met) => !met).length;

  console.log(`\nclawarr bench report${quick ? ' (quick smoke run: small inputs, sped-up clock)' : ''}\n`);
  console.log(formatTable(rows));
  console.log(`\n  goals met: ${judged.length - missed} of ${judged.length}`);

  const report = {
    generatedAt: new Date().toISOString(),
    quick,
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    goalsMet: judged.length - missed,
    goalsJudged: judged.length,
    benches: outcomes.map((o) => ({ bench: o.bench, finished: Boolean(o.section), exitCode: o.exitCode, ...(o.section ?? {}) })),
  };
  const file = join(RESULTS_DIR, 'report.json');
  writeFileSync(file, JSON.stringify(report, null, 2));
  console.log(`  report written to ${file}`);
  // A missed goal is a finding, not a crash; a bench that did not finish is.
  process.exitCode = outcomes.every((o) => o.section) ? 0 : 1;
}

main();
