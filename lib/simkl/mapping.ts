import type { MediaItem } from '../schema/types';
import { isAnime, usesTvdbSeasons } from './anime';
import { SIMKL_ID_KEYS, simklIds } from './ids';
import type { SimklAddHistoryResponse, SimklHistoryBody, SimklIds, SimklSyncObject } from './types';

/** Where each play sits in the body, so `not_found` echoes can be mapped back to plays. */
export interface BodyPlan {
  body: SimklHistoryBody;
  movieIndex: Map<SimklSyncObject, number[]>;
  /** Shows and anime: Simkl reports both under `not_found.shows`. */
  showIndex: Map<SimklSyncObject, number[]>;
  episodeIndex: Map<SimklSyncObject, number[]>;
}

/** A play's time for Simkl; an unknown date is left out rather than sent as a string Simkl may refuse. */
export function watchedAtFor(item: MediaItem): string | undefined {
  return item.watchedAt && item.watchedAt !== 'unknown' ? item.watchedAt : undefined;
}

/**
 * Builds one POST /sync/history body. Movies by ids (title and year as Simkl's fallback). Episodes
 * nested under their show by season and number (anime under `anime`), which Simkl resolves best;
 * an episode goes on its own in `episodes` only when its show has no id but the episode has.
 */
export function buildHistoryBody(plays: MediaItem[], watchedAtOf: (item: MediaItem) => string | undefined = watchedAtFor): BodyPlan {
  const plan: BodyPlan = { body: { movies: [], shows: [], anime: [], episodes: [] }, movieIndex: new Map(), showIndex: new Map(), episodeIndex: new Map() };
  const groups = { shows: new Map<string, SimklSyncObject>(), anime: new Map<string, SimklSyncObject>() };
  plays.forEach((play, index) => {
    const watched_at = watchedAtOf(play);
    if (play.type !== 'episode') {
      const object = compact<SimklSyncObject>({ title: play.title, year: play.year, ids: simklIds(play.ids), watched_at });
      plan.body.movies.push(object);
      plan.movieIndex.set(object, [index]);
      return;
    }
    const showIds = simklIds(play.show?.ids);
    const ownIds = simklIds(play.ids);
    if (!showIds && ownIds) {
      const object = compact<SimklSyncObject>({ ids: ownIds, watched_at });
      plan.body.episodes.push(object);
      plan.episodeIndex.set(object, [index]);
      return;
    }
    const list = isAnime(play) ? 'anime' : 'shows';
    const show = play.show ?? {};
    // Grouped by ids when there are some, else by title and year: one object per show.
    const key = JSON.stringify(showIds ? [showIds] : [null, show.title ?? null, show.year ?? null]);
    let object = groups[list].get(key);
    if (!object) {
      object = compact<SimklSyncObject>({ title: show.title, year: show.year, ids: showIds, seasons: [] });
      if (list === 'anime' && usesTvdbSeasons(play)) object.use_tvdb_anime_seasons = true;
      groups[list].set(key, object);
      plan.body[list].push(object);
      plan.showIndex.set(object, []);
    }
    let season = object.seasons!.find((s) => s.number === (play.season ?? 1));
    if (!season) {
      season = { number: play.season ?? 1, episodes: [] };
      object.seasons!.push(season);
    }
    season.episodes.push(compact({ number: play.episode ?? 0, watched_at }));
    plan.showIndex.get(object)!.push(index);
  });
  return plan;
}

/** The body without its empty arrays (Simkl needs none of them). */
export function stripEmpty(body: SimklHistoryBody): Partial<SimklHistoryBody> {
  const out: Partial<SimklHistoryBody> = {};
  for (const [key, list] of Object.entries(body) as Array<[keyof SimklHistoryBody, SimklSyncObject[]]>) if (list.length) out[key] = list;
  return out;
}

/** Positions of plays Simkl echoed back as not found (anime come back under `shows`). */
export function notFoundPositions(plan: BodyPlan, notFound: SimklAddHistoryResponse['not_found']): number[] {
  if (!notFound) return [];
  const out = new Set<number>();
  const collect = (echoes: SimklSyncObject[] | undefined, index: Map<SimklSyncObject, number[]>) => {
    if (!Array.isArray(echoes) || !echoes.length) return;
    for (const [object, positions] of index) {
      if (echoes.some((echo) => sameObject(echo, object))) positions.forEach((p) => out.add(p));
    }
  };
  collect(notFound.movies, plan.movieIndex);
  collect(notFound.episodes, plan.episodeIndex);
  collect([...(notFound.shows ?? []), ...(notFound.anime ?? [])], plan.showIndex);
  return [...out].sort((a, b) => a - b);
}

/**
 * Whether an echo is the object sent: any id in common (Simkl may echo ids as strings, or fewer
 * of them), else the same title and year when neither has ids.
 */
function sameObject(echo: SimklSyncObject, sent: SimklSyncObject): boolean {
  const echoed = idPairs(echo.ids);
  const mine = idPairs(sent.ids);
  if (echoed.length || mine.length) return echoed.some((pair) => mine.includes(pair));
  return (echo.title ?? '').toLowerCase() === (sent.title ?? '').toLowerCase() && Number(echo.year ?? 0) === Number(sent.year ?? 0);
}

function idPairs(ids: SimklIds | undefined): string[] {
  if (!ids) return [];
  return SIMKL_ID_KEYS.flatMap((key) => {
    const value = key === 'simkl' ? (ids.simkl ?? ids.simkl_id) : ids[key];
    return value === undefined || value === null || value === '' ? [] : [`${key}:${String(value).toLowerCase()}`];
  });
}

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as Array<keyof T>) if (object[key] === undefined) delete object[key];
  return object;
}
