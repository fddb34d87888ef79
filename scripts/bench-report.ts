/**
 * The common shape of every bench's result, so `npm run bench` can end with one table of every
 * figure next to its goal (scripts/bench-summary.ts) and one JSON file a reader or a CI job can diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Measure {
  figure: string;
  measured: string;
  goal: string;
  /** Undefined where the figure is context (file size, wall time) rather than a promise. */
  met?: boolean;
}

export interface BenchSection {
  bench: string;
  title: string;
  /** What the figures depend on: sizes, limits, time scale. */
  conditions: string;
  ranAt: string;
  measures: Measure[];
  /** The raw numbers, for whoever wants more than the table. */
  figures: unknown;
}

// BENCH_RESULTS_DIR lets a test run the benches without touching the repository's results.
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ? resolve(process.env.BENCH_RESULTS_DIR) : resolve(__dirname, '..', '..', 'bench-results');

export const sectionFile = (bench: string): string => join(RESULTS_DIR, `${bench}.json`);

export function mark(met: boolean | undefined): string {
  if (met === undefined) return '·';
  return met ? 'yes' : 'NO';
}

/** Fixed-width text table; the first row is the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => '  ' + row.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  ').trimEnd();
  const rule = '  ' + widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** Prints one bench's table and writes bench-results/<bench>.json. */
export function saveSection(section: Omit<BenchSection, 'ranAt'>): BenchSection {
  const saved: BenchSection = { ...section, ranAt: new Date().toISOString() };
  console.log(`\n${saved.title} (${saved.conditions})`);
  console.log(formatTable([['figure', 'measured', 'goal', 'met'], ...saved.measures.map((m) => [m.figure, m.measured, m.goal, mark(m.met)])]));
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(sectionFile(saved.bench), JSON.stringify(saved, null, 2));
  console.log(`\n  figures written to ${sectionFile(saved.bench)}`);
  return saved;
}

export function loadSection(bench: string): BenchSection | undefined {
  const file = sectionFile(bench);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchSection>;
  // A file from before the common shape has no measures: treat it as not run rather than guess.
  return Array.isArray(parsed.measures) ? (parsed as BenchSection) : undefined;
}

export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got "${process.argv[i + 1] ?? ''}"`);
  return value;
}
