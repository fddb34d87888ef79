import type { MediaIds, MediaItem } from '../schema/types';
import type { TraktHistoryBody, TraktHistoryRow, TraktIds, TraktSyncObject } from './types';

const TRAKT_ID_KEYS = ['trakt', 'slug', 'imdb', 'tmdb', 'tvdb'] as const;

/** Only the id kinds Trakt knows; others (plex, simkl …) would be ignored or confuse the match. */
export function traktIds(ids: MediaIds | undefined): TraktIds | undefined {
  if (!ids) return undefined;
  const out: TraktIds = {};
  for (const key of TRAKT_ID_KEYS) {
    const value = ids[key];
    if (value !== undefined && value !== null && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

export function hasEpisodeIds(item: MediaItem): boolean {
  return traktIds(item.ids) !== undefined;
}

/** Where each play sits in the body, so `not_found` echoes can be mapped back to plays. */
export interface BodyPlan {
  body: TraktHistoryBody;
  movieIndex: Map<TraktSyncObject, number[]>;
  episodeIndex: Map<TraktSyncObject, number[]>;
  showIndex: Map<TraktSyncObject, number[]>;
}

/**
 * Builds one /sync/history body: movies by ids (title and year as Trakt's fallback), episodes with
 * their own ids in `episodes`, the rest nested under their show by season and number.
 */
export function buildHistoryBody(plays: MediaItem[], watchedAtOf: (item: MediaItem) => string | undefined): BodyPlan {
  const plan: BodyPlan = { body: { movies: [], shows: [], episodes: [] }, movieIndex: new Map(), episodeIndex: new Map(), showIndex: new Map() };
  const shows = new Map<string, TraktSyncObject>();
  plays.forEach((play, index) => {
    const watched_at = watchedAtOf(play);
    if (play.type === 'movie') {
      const object: TraktSyncObject = compact({ title: play.title, year: play.year, ids: traktIds(play.ids), watched_at });
      plan.body.movies.push(object);
      plan.movieIndex.set(object, [index]);
    } else if (hasEpisodeIds(play)) {
      const object: TraktSyncObject = compact({ ids: traktIds(play.ids), watched_at });
      plan.body.episodes.push(object);
      plan.episodeIndex.set(object, [index]);
    } else {
      const show = play.show ?? {};
      // Shows Trakt can match by id group by those ids; the others (no ids, or only plex/simkl ids) by title and year.
      const showIds = traktIds(show.ids);
      const key = JSON.stringify(showIds ? [showIds] : [null, show.title ?? null, show.year ?? null]);
      let object = shows.get(key);
      if (!object) {
        object = compact({ title: show.title, year: show.year, ids: traktIds(show.ids), seasons: [] });
        shows.set(key, object);
        plan.body.shows.push(object);
        plan.showIndex.set(object, []);
      }
      let season = object.seasons!.find((s) => s.number === play.season);
      if (!season) {
        season = { number: play.season ?? 1, episodes: [] };
        object.seasons!.push(season);
      }
      season.episodes.push(compact({ number: play.episode ?? 0, watched_at }));
      plan.showIndex.get(object)!.push(index);
    }
  });
  return plan;
}

/** Positions of plays Trakt echoed back as not found. */
export function notFoundPositions(plan: BodyPlan, notFound: { movies?: TraktSyncObject[]; shows?: TraktSyncObject[]; episodes?: TraktSyncObject[] } | undefined): number[] {
  if (!notFound) return [];
  const out = new Set<number>();
  const collect = (echoes: TraktSyncObject[] | undefined, index: Map<TraktSyncObject, number[]>) => {
    if (!echoes?.length) return;
    const wanted = echoes.map(signature);
    for (const [object, positions] of index) {
      if (wanted.includes(signature(object))) positions.forEach((p) => out.add(p));
    }
  };
  collect(notFound.movies, plan.movieIndex);
  collect(notFound.episodes, plan.episodeIndex);
  collect(notFound.shows, plan.showIndex);
  return [...out].sort((a, b) => a - b);
}

/** Identity of a submitted object for matching echoes: its ids, else title and year. */
function signature(object: TraktSyncObject): string {
  const ids = object.ids ? TRAKT_ID_KEYS.map((k) => object.ids?.[k] ?? null) : null;
  return JSON.stringify(ids ?? [object.title ?? null, object.year ?? null]);
}

/** A history row as a media item, so the ledger can compare it with the plays it was given. */
export function rowToItem(row: TraktHistoryRow): MediaItem {
  if (row.type === 'movie' && row.movie) {
    return { type: 'movie', title: row.movie.title, year: row.movie.year, ids: cleanIds(row.movie.ids), watchedAt: row.watched_at };
  }
  const episode = row.episode ?? { season: 0, number: 0, ids: {} };
  return {
    type: 'episode',
    title: episode.title,
    season: episode.season,
    episode: episode.number,
    ids: cleanIds(episode.ids),
    show: { title: row.show?.title, year: row.show?.year, ids: cleanIds(row.show?.ids ?? {}) },
    watchedAt: row.watched_at,
  };
}

function cleanIds(ids: TraktIds): MediaIds {
  const out: MediaIds = {};
  for (const key of TRAKT_ID_KEYS) {
    const value = ids[key];
    if (value !== undefined && value !== null && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as Array<keyof T>) if (object[key] === undefined) delete object[key];
  return object;
}
