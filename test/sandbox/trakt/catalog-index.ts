// Lookup tables over the catalog, used to resolve the loosely-typed objects clients POST.
import type { Catalog, Episode, Movie, Season, Show } from './types';

export interface EpisodeRef {
  show: Show;
  season: Season;
  episode: Episode;
}

type IdBag = Record<string, unknown>;

const key = (v: unknown): string | undefined =>
  typeof v === 'number' || (typeof v === 'string' && v !== '') ? String(v).toLowerCase() : undefined;

// Trakt's documented match order for ids.
const ID_ORDER = ['trakt', 'imdb', 'tmdb', 'tvdb', 'slug'] as const;

class IdMaps<T> {
  private maps = new Map<string, Map<string, T>>();
  private titles = new Map<string, T[]>();

  add(idName: string, id: unknown, item: T): void {
    const k = key(id);
    if (k === undefined) return;
    let m = this.maps.get(idName);
    if (!m) this.maps.set(idName, (m = new Map()));
    m.set(k, item);
  }

  addTitle(title: string, item: T): void {
    const k = title.toLowerCase();
    this.titles.set(k, [...(this.titles.get(k) ?? []), item]);
  }

  byIds(ids: unknown): T | undefined {
    if (!ids || typeof ids !== 'object') return undefined;
    for (const name of ID_ORDER) {
      const k = key((ids as IdBag)[name]);
      const hit = k === undefined ? undefined : this.maps.get(name)?.get(k);
      if (hit) return hit;
    }
    return undefined;
  }

  /** Trakt falls back to title (+ year) when no id matches. */
  byTitle(title: unknown, year: unknown, yearOf: (t: T) => number): T | undefined {
    if (typeof title !== 'string') return undefined;
    const list = this.titles.get(title.toLowerCase()) ?? [];
    return typeof year === 'number' ? list.find((t) => yearOf(t) === year) : list[0];
  }
}

export class CatalogIndex {
  private movies = new IdMaps<Movie>();
  private shows = new IdMaps<Show>();
  private episodes = new IdMaps<EpisodeRef>();
  private movieById = new Map<number, Movie>();
  private episodeById = new Map<number, EpisodeRef>();

  constructor(catalog: Catalog) {
    for (const m of catalog.movies) {
      for (const id of ['trakt', 'imdb', 'tmdb', 'slug'] as const) this.movies.add(id, m[id], m);
      this.movies.addTitle(m.title, m);
      this.movieById.set(m.trakt, m);
    }
    for (const s of catalog.shows) {
      for (const id of ['trakt', 'imdb', 'tmdb', 'tvdb', 'slug'] as const) this.shows.add(id, s[id], s);
      this.shows.addTitle(s.title, s);
      for (const season of s.seasons) {
        for (const episode of season.episodes) {
          const ref = { show: s, season, episode };
          for (const id of ['trakt', 'imdb', 'tmdb', 'tvdb'] as const) this.episodes.add(id, episode.ids[id], ref);
          this.episodeById.set(episode.ids.trakt, ref);
        }
      }
    }
  }

  findMovie(obj: IdBag): Movie | undefined {
    return this.movies.byIds(obj.ids) ?? this.movies.byTitle(obj.title, obj.year, (m) => m.year);
  }

  findShow(obj: IdBag): Show | undefined {
    return this.shows.byIds(obj.ids) ?? this.shows.byTitle(obj.title, obj.year, (s) => s.year);
  }

  findEpisode(obj: IdBag): EpisodeRef | undefined {
    return this.episodes.byIds(obj.ids);
  }

  movie(traktId: number): Movie | undefined {
    return this.movieById.get(traktId);
  }

  episode(traktId: number): EpisodeRef | undefined {
    return this.episodeById.get(traktId);
  }
}
