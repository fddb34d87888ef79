import { appendFileSync, closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const FILE_MODE = 0o600;

/**
 * The clawarr state directory: tokens, the sync ledger, the ID cache and high-water marks.
 * Files are 0600; JSON documents are replaced atomically (write, fsync, rename) so a crash leaves
 * either the old or the new version; journals are append-only and tolerate a torn last line.
 */
export class StateStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** `CLAWARR_STATE_DIR`, else `clawarr/` under Node-RED's user dir (or ~/.node-red). */
  static defaultDir(userDir?: string): string {
    const fromEnv = process.env.CLAWARR_STATE_DIR;
    if (fromEnv) return fromEnv;
    return join(userDir || join(homedir(), '.node-red'), 'clawarr');
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  readJson<T>(name: string, fallback: T): T {
    const file = this.path(name);
    if (!existsSync(file)) return fallback;
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch (error) {
      throw new Error(`clawarr state file ${file} is unreadable (${(error as Error).message}); move it aside to start fresh`);
    }
  }

  writeJson(name: string, value: unknown): void {
    const file = this.path(name);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', FILE_MODE);
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, FILE_MODE);
    renameSync(temp, file);
  }

  /** Appends records as JSON lines and flushes them to disk before returning. */
  appendLines(name: string, records: unknown[]): void {
    if (records.length === 0) return;
    const file = this.path(name);
    const fd = openSync(file, 'a+', FILE_MODE);
    try {
      // After a torn last line (crash mid-append) start on a new line, or the first record written
      // now would be glued to the fragment and dropped by readLines at the next start.
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const prefix = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a ? '\n' : '';
      writeSync(fd, prefix + records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Reads a journal; a torn last line (crash mid-append) is skipped, not fatal. */
  readLines<T>(name: string): T[] {
    const file = this.path(name);
    if (!existsSync(file)) return [];
    const out: T[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // torn write: the record was never confirmed, so dropping it loses nothing
      }
    }
    return out;
  }

  /** Rewrites a journal as exactly `records` (compaction), atomically. */
  replaceLines(name: string, records: unknown[]): void {
    const file = this.path(name);
    const temp = `${file}.${process.pid}.tmp`;
    const fd = openSync(temp, 'w', FILE_MODE);
    try {
      if (records.length) writeSync(fd, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  }

  /** For callers that keep an open journal elsewhere; exposed for tests. */
  appendRaw(name: string, text: string): void {
    appendFileSync(this.path(name), text, { mode: FILE_MODE });
  }
}

/** File-name-safe form of an account or node key. */
export function safeName(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]+/g, '_');
}
