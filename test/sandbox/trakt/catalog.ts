// Deterministic fake catalog: ids are pure functions of position so tests can build plays
// from catalogFor() without talking to the server.
import { CLASSIC_MOVIES, CLASSIC_SHOWS } from './catalog-classics';
import { DEFAULT_CATALOG } from './options';
import type { Catalog, CatalogOptions, Episode, Movie, Season, Show } from './types';

/** Same catalog the server builds for these options (only `options.catalog` matters). */
export function catalogFor(options: { catalog?: Partial<CatalogOptions> } = {}): Catalog {
  const c: CatalogOptions = { ...DEFAULT_CATALOG, ...options.catalog };
  const movies: Movie[] = [];
  for (let i = 1; i <= c.movies; i++) {
    const year = 1950 + (i % 70);
    movies.push({ trakt: i, slug: `movie-${i}-${year}`, imdb: `tt${1000000 + i}`, tmdb: 500000 + i, title: `Movie ${i}`, year });
  }
  const shows: Show[] = [];
  let k = 0;
  for (let j = 1; j <= c.shows; j++) {
    const seasons: Season[] = [];
    for (let s = 1; s <= c.seasonsPerShow; s++) {
      const episodes: Episode[] = [];
      for (let e = 1; e <= c.episodesPerSeason; e++) {
        k++;
        episodes.push({
          number: e,
          title: `Episode ${e}`,
          ids: { trakt: 1000000 + k, tvdb: 5000000 + k, imdb: `tt${3000000 + k}`, tmdb: 8000000 + k },
        });
      }
      seasons.push({ number: s, episodes });
    }
    shows.push({
      trakt: 100000 + j,
      slug: `show-${j}`,
      imdb: `tt${2000000 + j}`,
      tmdb: 700000 + j,
      tvdb: 300000 + j,
      title: `Show ${j}`,
      year: 1990 + (j % 35),
      seasons,
    });
  }
  return { movies: [...movies, ...CLASSIC_MOVIES], shows: [...shows, ...CLASSIC_SHOWS] };
}
