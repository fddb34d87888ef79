import type { Candidate } from '../provider';
import type { IdKey } from '../schema/types';
import { mediaFields } from './ids';
import type { SimklSearchRow } from './types';

export type MatchType = 'movie' | 'show' | 'episode';

/** Id kinds POST /sync/history matches on, per type (api-facts §2.5); items carrying one need no search. */
export const ACCEPTED_IDS: Record<MatchType, readonly IdKey[]> = {
  movie: ['simkl', 'imdb', 'tmdb'],
  show: ['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb'],
  episode: ['simkl', 'tvdb', 'imdb', 'tmdb'],
};

/** Id kinds GET /search/id looks up (it takes many more; these are the ones media items carry). */
export const LOOKUP_IDS: readonly IdKey[] = ['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb'];

/** Query of GET /search/id. TMDB numbers are reused across movies and shows, so their type goes along. */
export function lookupParams(idType: IdKey, id: string | number, type: MatchType): Record<string, string> {
  const params: Record<string, string> = { [idType]: String(id) };
  if (idType === 'tmdb') params.type = type === 'movie' ? 'movie' : 'show';
  return params;
}

/** The text search endpoints to try for a type, in order: an anime is not under `tv`. */
export function searchTypes(type: 'movie' | 'show'): Array<'movie' | 'tv' | 'anime'> {
  return type === 'movie' ? ['movie'] : ['tv', 'anime'];
}

/** Search answers as candidates; rows of another kind (or none Simkl names) take the type asked for. */
export function toCandidates(rows: unknown, asked: MatchType): Candidate[] {
  if (!Array.isArray(rows)) return [];
  return (rows as SimklSearchRow[]).flatMap((row) => {
    if (!row || typeof row !== 'object') return [];
    const type = kindOf(row.type ?? row.endpoint_type) ?? (asked === 'movie' ? 'movie' : 'show');
    const fields = mediaFields(row);
    return [{ type, title: fields.title ?? '', ...(fields.year ? { year: fields.year } : {}), ids: fields.ids }];
  });
}

/** Simkl says movie/movies, tv, anime (and sometimes show): a movie, or a show. */
function kindOf(value: string | undefined): 'movie' | 'show' | undefined {
  switch ((value ?? '').toLowerCase()) {
    case 'movie':
    case 'movies':
      return 'movie';
    case 'tv':
    case 'show':
    case 'shows':
    case 'anime':
      return 'show';
    default:
      return undefined;
  }
}
