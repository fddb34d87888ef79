// Search results in Trakt's wire shape (samples/trakt/search_*.json): the standard objects, with
// the show next to an episode.
import type { EpisodeRef } from '../catalog-index';
import type { Movie, Show } from '../types';

export type Hit = { type: 'movie'; movie: Movie } | { type: 'show'; show: Show } | { type: 'episode'; ref: EpisodeRef };

const movieObject = (m: Movie): unknown => ({ title: m.title, year: m.year, ids: { trakt: m.trakt, slug: m.slug, imdb: m.imdb, tmdb: m.tmdb } });

const showObject = (s: Show, extended = false): unknown => ({
  title: s.title,
  year: s.year,
  ids: { trakt: s.trakt, slug: s.slug, tvdb: s.tvdb, imdb: s.imdb, tmdb: s.tmdb },
  // extended=full objects carry more; country is the one that tells same-name shows apart.
  ...(extended ? { country: s.country ?? 'us' } : {}),
});

/** `score` is null for id lookups and a float for text search. */
export function searchResult(hit: Hit, score: number | null, extended = false): unknown {
  if (hit.type === 'movie') return { type: 'movie', score, movie: movieObject(hit.movie) };
  if (hit.type === 'show') return { type: 'show', score, show: showObject(hit.show, extended) };
  const { show, season, episode } = hit.ref;
  return {
    type: 'episode',
    score,
    episode: { season: season.number, number: episode.number, title: episode.title, ids: { ...episode.ids } },
    show: showObject(show, extended),
  };
}

/** Year used by the `years` filter; an episode is filtered by its show's year. */
export const hitYear = (hit: Hit): number => (hit.type === 'movie' ? hit.movie.year : hit.type === 'show' ? hit.show.year : hit.ref.show.year);
