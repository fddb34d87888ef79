// Lookup tables for /search, built once per catalog (the catalog never changes after start).
// Unlike the sync index, ids are kept per kind and may collide across kinds, as on Trakt.
import type { Catalog } from '../types';
import type { Hit } from './search-shape';
import { makeName, type Name } from './search-text';

export type HitType = Hit['type'];
export const ID_TYPES = ['trakt', 'imdb', 'tmdb', 'tvdb'] as const;
export type IdType = (typeof ID_TYPES)[number];

export interface TextEntry {
  hit: Hit;
  names: Name[];
}

export interface SearchIndex {
  /** Key `${idType}:${id}` (imdb lower-cased) → hits of every kind carrying that id. */
  byId: Map<string, Hit[]>;
  text: Record<HitType, TextEntry[]>;
}

export const idKey = (idType: IdType, id: string | number): string => `${idType}:${String(id).trim().toLowerCase()}`;

const cache = new WeakMap<Catalog, SearchIndex>();

function build(catalog: Catalog): SearchIndex {
  const byId = new Map<string, Hit[]>();
  const add = (idType: IdType, id: string | number | undefined, hit: Hit): void => {
    if (id === undefined || id === '') return;
    const k = idKey(idType, id);
    byId.set(k, [...(byId.get(k) ?? []), hit]);
  };
  const text: SearchIndex['text'] = { movie: [], show: [], episode: [] };
  const names = (title: string, aliases: string[] = []): Name[] => [makeName('title', title), ...aliases.map((a) => makeName('aliases', a))];

  for (const movie of catalog.movies) {
    const hit: Hit = { type: 'movie', movie };
    for (const t of ['trakt', 'imdb', 'tmdb'] as const) add(t, movie[t], hit);
    text.movie.push({ hit, names: names(movie.title, movie.aliases) });
  }
  for (const show of catalog.shows) {
    const hit: Hit = { type: 'show', show };
    for (const t of ID_TYPES) add(t, show[t], hit);
    text.show.push({ hit, names: names(show.title, show.aliases) });
    for (const season of show.seasons) {
      for (const episode of season.episodes) {
        const epHit: Hit = { type: 'episode', ref: { show, season, episode } };
        for (const t of ID_TYPES) add(t, episode.ids[t], epHit);
        text.episode.push({ hit: epHit, names: names(episode.title) });
      }
    }
  }
  return { byId, text };
}

export function searchIndex(catalog: Catalog): SearchIndex {
  let index = cache.get(catalog);
  if (!index) cache.set(catalog, (index = build(catalog)));
  return index;
}
