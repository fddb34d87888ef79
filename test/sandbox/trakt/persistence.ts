// Optional JSON state file so the demo account survives restarts. Writes are debounced because
// a bulk sync changes history once per request; the file is replaced atomically via rename.
import fs from 'node:fs';
import path from 'node:path';
import type { TraktState } from './state';
import type { TokenSnapshot } from './tokens';
import type { LastActivities, Play } from './types';

interface StateFile {
  version: 1;
  nextPlayId: number;
  plays: Play[];
  tokens: TokenSnapshot;
  lastActivities: LastActivities;
}

const DEBOUNCE_MS = 200;

export function loadState(state: TraktState, file: string): void {
  if (!fs.existsSync(file)) return;
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
  state.plays.push(...data.plays);
  state.nextPlayId = Math.max(data.nextPlayId, ...data.plays.map((p) => p.id + 1), 1);
  state.tokens.load(data.tokens);
  state.lastActivities = data.lastActivities;
}

export function saveState(state: TraktState, file: string): void {
  const data: StateFile = {
    version: 1,
    nextPlayId: state.nextPlayId,
    plays: state.plays,
    tokens: state.tokens.snapshot(),
    lastActivities: state.lastActivities,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data));
  fs.renameSync(tmp, file);
}

/** Hooks state.onChange; returns a flush function for shutdown. */
export function persistTo(state: TraktState, file: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  state.onChange = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      saveState(state, file);
    }, DEBOUNCE_MS);
  };
  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    saveState(state, file);
  };
}
