// Lookup tables over the Simkl catalog for the loosely-typed objects clients POST: any known id
// (numbers and numeric strings alike, as Simkl echoes them stringified), then title + year.
import type { EpisodeRef } from '../trakt/catalog-index';
import { fold } from '../trakt/routes/search-text';
import type { SimklCatalog, SimklMovie, SimklShow } from './types';

type Obj = Record<string, unknown>;

export interface SimklEpisodeRef extends EpisodeRef {
  show: SimklShow;
}

export const MOVIE_ID_KEYS = ['simkl', 'imdb', 'tmdb', 'slug'] as const;
export const SHOW_ID_KEYS = ['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb', 'slug'] as const;
const EPISODE_ID_KEYS = ['tvdb', 'imdb', 'tmdb'] as const;

/** imdb ids may arrive as a full IMDb URL (Simkl accepts both). */
export function idKey(name: string, v: unknown): string | undefined {
  if (typeof v !== 'number' && (typeof v !== 'string' || v.trim() === '')) return undefined;
  const s = String(v).trim().toLowerCase();
  return name === 'imdb' ? (/tt\d+/.exec(s)?.[0] ?? s) : s;
}

class Lookup<T> {
  private byId = new Map<string, T>();
  private byTitle = new Map<string, T[]>();

  constructor(
    private keys: readonly string[],
    private yearOf: (t: T) => number,
  ) {}

  add(ids: Obj, titles: string[], item: T): void {
    for (const k of this.keys) {
      const v = idKey(k, ids[k]);
      if (v !== undefined) this.byId.set(`${k}:${v}`, item);
    }
    for (const t of titles) this.byTitle.set(fold(t), [...(this.byTitle.get(fold(t)) ?? []), item]);
  }

  byIds(ids: unknown): T | undefined {
    if (!ids || typeof ids !== 'object') return undefined;
    for (const k of this.keys) {
      const v = idKey(k, (ids as Obj)[k]);
      const hit = v === undefined ? undefined : this.byId.get(`${k}:${v}`);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Exact title ignoring case and accents; a year, when sent (number or string), must agree. */
  find(o: Obj): T | undefined {
    const byIds = this.byIds(o.ids);
    if (byIds || typeof o.title !== 'string') return byIds;
    const list = this.byTitle.get(fold(o.title)) ?? [];
    const year = Number(o.year);
    return o.year === undefined || o.year === null || Number.isNaN(year) ? list[0] : list.find((t) => this.yearOf(t) === year);
  }
}

export class SimklIndex {
  private movies = new Lookup<SimklMovie>(MOVIE_ID_KEYS, (m) => m.year);
  private shows = new Lookup<SimklShow>(SHOW_ID_KEYS, (s) => s.year);
  private episodes = new Lookup<SimklEpisodeRef>(EPISODE_ID_KEYS, (r) => r.show.year);
  private movieBySimkl = new Map<number, SimklMovie>();
  private showBySimkl = new Map<number, SimklShow>();

  constructor(readonly catalog: SimklCatalog) {
    for (const m of catalog.movies) {
      this.movies.add({ ...m }, [m.title], m);
      this.movieBySimkl.set(m.simkl, m);
    }
    for (const s of catalog.shows) {
      this.shows.add({ ...s }, [s.title], s);
      this.showBySimkl.set(s.simkl, s);
      for (const season of s.seasons) {
        for (const episode of season.episodes) this.episodes.add({ ...episode.ids }, [], { show: s, season, episode });
      }
    }
  }

  findMovie(o: Obj): SimklMovie | undefined {
    return this.movies.find(o);
  }

  findShow(o: Obj): SimklShow | undefined {
    return this.shows.find(o);
  }

  findEpisode(o: Obj): SimklEpisodeRef | undefined {
    return this.episodes.byIds(o.ids);
  }

  movie(simkl: number): SimklMovie | undefined {
    return this.movieBySimkl.get(simkl);
  }

  show(simkl: number): SimklShow | undefined {
    return this.showBySimkl.get(simkl);
  }

  /** Every show carrying this id, e.g. ('tvdb', '73244'); a linear scan, /search/id is rare. */
  showsById(kind: string, id: string): SimklShow[] {
    return this.catalog.shows.filter((s) => idKey(kind, (s as unknown as Obj)[kind]) === idKey(kind, id));
  }

  moviesById(kind: string, id: string): SimklMovie[] {
    return this.catalog.movies.filter((m) => idKey(kind, (m as unknown as Obj)[kind]) === idKey(kind, id));
  }
}

export function episodeOf(show: SimklShow, season: unknown, number: unknown): SimklEpisodeRef | undefined {
  const s = show.seasons.find((x) => x.number === Number(season));
  const episode = s?.episodes.find((e) => e.number === Number(number));
  return s && episode ? { show, season: s, episode } : undefined;
}
