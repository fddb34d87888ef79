// POST /sync/add-to-list (SIMKL-DOCS add-to-list, list-statuses): moves titles into a status given per
// item as `to` (plantowatch is the watchlist). The answer echoes the titles filed, not counts.
import { json, simklError, type Call, type Reply } from '../http';
import { recordChange } from '../library';
import { fileTitle } from '../listings';
import type { SimklState } from '../state';
import type { SimklListStatus } from '../types';
import { resolveTitles } from './ratings';

type Obj = Record<string, unknown>;

const STATUSES = new Set<string>(['watching', 'plantowatch', 'hold', 'dropped', 'completed']);

export function addToList(state: SimklState, call: Call): Reply {
  const items = ['movies', 'shows', 'anime'].flatMap((k) => (Array.isArray(call.body[k]) ? (call.body[k] as unknown[]) : []));
  // Checked first: a body with one bad item files nothing. A top-level `to` alone is the legacy shape Simkl refuses.
  for (const item of items) {
    const to = item && typeof item === 'object' ? (item as Obj).to : undefined;
    if (to === undefined || to === null || to === '') return simklError(400, 'empty_field', 'Missed "to" parameter');
    if (!STATUSES.has(String(to))) return simklError(400, 'wrong_parameter', `"to" must be one of ${[...STATUSES].join(', ')}`);
  }
  const { found, notFound } = resolveTitles(state, call.body);
  const added = { movies: [] as Obj[], shows: [] as Obj[] };
  const now = Date.now();
  for (const t of found) {
    const to = String(t.request.to) as SimklListStatus;
    if (t.kind === 'movie' && to === 'hold') {
      // Movies have no hold list; Simkl leaves its effect undefined, the fake refuses it.
      notFound.movies.push(t.request);
      continue;
    }
    if (t.kind === 'movie' && to === 'watching') {
      // A movie cannot be "watching": Simkl records the watch and files it as completed.
      state.addPlay({ type: 'movie', simklId: t.simklId, watchedAt: new Date(Math.floor(now / 60_000) * 60_000).toISOString(), via: 'sync' });
      recordChange(state, 'movie', t.simklId);
    } else {
      fileTitle(state, t.kind, t.simklId, to, now);
    }
    (t.kind === 'movie' ? added.movies : added.shows).push({ ...t.request, type: t.kind });
  }
  return json(201, { added, not_found: notFound });
}
