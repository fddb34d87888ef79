// Optional JSON state file so a demo account survives restarts; debounced, replaced atomically.
import fs from 'node:fs';
import path from 'node:path';
import type { SimklActivities } from './activities';
import type { SimklState } from './state';
import type { SimklTokenRecord } from './tokens';
import type { SimklListing, SimklPlay, SimklRating } from './types';

interface StateFile {
  version: 1;
  nextPlayId: number;
  plays: SimklPlay[];
  itemUpdatedAt: Array<[string, number]>;
  tokens: SimklTokenRecord[];
  activities: SimklActivities;
  /** Absent in files written before ratings and add-to-list existed. */
  ratings?: Array<[string, SimklRating]>;
  listings?: Array<[string, SimklListing]>;
}

const DEBOUNCE_MS = 200;

export function loadSimklState(state: SimklState, file: string): void {
  if (!fs.existsSync(file)) return;
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StateFile;
  state.plays.push(...data.plays);
  state.nextPlayId = Math.max(data.nextPlayId, ...data.plays.map((p) => p.id + 1), 1);
  for (const [k, v] of data.itemUpdatedAt) state.itemUpdatedAt.set(k, v);
  state.tokens.load(data.tokens);
  state.activities = data.activities;
  for (const [k, v] of data.ratings ?? []) state.ratings.set(k, v);
  for (const [k, v] of data.listings ?? []) state.listings.set(k, v);
}

function save(state: SimklState, file: string): void {
  const data: StateFile = {
    version: 1,
    nextPlayId: state.nextPlayId,
    plays: state.plays,
    itemUpdatedAt: [...state.itemUpdatedAt],
    tokens: state.tokens.snapshot(),
    activities: state.activities,
    ratings: [...state.ratings],
    listings: [...state.listings],
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(data));
  fs.renameSync(tmp, file);
}

/** Hooks state.onChange; returns a flush function for shutdown. */
export function persistSimklTo(state: SimklState, file: string): () => void {
  let timer: NodeJS.Timeout | undefined;
  state.onChange = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      save(state, file);
    }, DEBOUNCE_MS);
  };
  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    save(state, file);
  };
}
