// A few real titles with their real external ids, so the example flows (written for real Trakt)
// also land on the sandbox. Trakt ids are from a reserved range that the generated catalog never reaches.
import type { Movie, Show } from './types';

export const CLASSIC_MOVIES: Movie[] = [
  { trakt: 9000001, slug: 'inception-2010', imdb: 'tt1375666', tmdb: 27205, title: 'Inception', year: 2010 },
  { trakt: 9000002, slug: 'batman-begins-2005', imdb: 'tt0372784', tmdb: 272, title: 'Batman Begins', year: 2005 },
  { trakt: 9000003, slug: 'the-matrix-1999', imdb: 'tt0133093', tmdb: 603, title: 'The Matrix', year: 1999 },
  { trakt: 9000004, slug: 'tron-legacy-2010', imdb: 'tt1104001', tmdb: 20526, title: 'TRON: Legacy', year: 2010 },
];

const GOT_S6 = ['The Red Woman', 'Home', 'Oathbreaker', 'Book of the Stranger', 'The Door', 'Blood of My Blood', 'The Broken Man', 'No One', 'Battle of the Bastards', 'The Winds of Winter'];

export const CLASSIC_SHOWS: Show[] = [
  {
    trakt: 9100001,
    slug: 'game-of-thrones',
    imdb: 'tt0944947',
    tmdb: 1399,
    tvdb: 121361,
    title: 'Game of Thrones',
    year: 2011,
    seasons: [
      {
        number: 6,
        episodes: GOT_S6.map((title, i) => ({
          number: i + 1,
          title,
          ids: { trakt: 9200001 + i, tvdb: 5600000 + i, imdb: `tt${3658000 + i}`, tmdb: 1045000 + i },
        })),
      },
    ],
  },
];
