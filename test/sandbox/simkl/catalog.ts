// The Trakt sandbox catalog plus Simkl ids, so a play taken from one fake matches on the other by
// imdb/tmdb/tvdb. Simkl ids are positional: movie i → 600000+i, show j → 800000+j (1-based).
import { catalogFor } from '../trakt/catalog';
import type { CatalogOptions, Episode, Show } from '../trakt/types';
import type { SimklCatalog, SimklShow } from './types';

// Real AniDB / MyAnimeList ids of the classic anime the Trakt catalog already holds.
const ANIME_IDS: Record<string, { anidb: number; mal: number }> = {
  'cowboy-bebop': { anidb: 23, mal: 1 },
};

/**
 * Anime only this fake knows (real external ids, so HAMA-style anidb guids resolve). Their trakt
 * ids (91001xx, episodes 935xxxx) do not exist on the fake Trakt; episode ids are fake but unique.
 */
function episodes(base: number, count: number): Episode[] {
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    title: `Episode ${i + 1}`,
    ids: { trakt: 9350000 + base + i + 1, tvdb: 9850000 + base + i + 1, imdb: `tt${9650000 + base + i + 1}`, tmdb: 9750000 + base + i + 1 },
  }));
}

const EXTRA_ANIME: Array<Show & { anidb: number; mal: number }> = [
  {
    trakt: 9100101,
    slug: 'fullmetal-alchemist-brotherhood',
    imdb: 'tt1355642',
    tmdb: 31911,
    tvdb: 85249,
    anidb: 6107,
    mal: 5114,
    title: 'Fullmetal Alchemist: Brotherhood',
    year: 2009,
    country: 'jp',
    aliases: ['Hagane no Renkinjutsushi: Fullmetal Alchemist', '鋼の錬金術師 FULLMETAL ALCHEMIST'],
    seasons: [{ number: 1, episodes: episodes(0, 64) }],
  },
  {
    trakt: 9100102,
    slug: 'death-note',
    imdb: 'tt0877057',
    tmdb: 13916,
    tvdb: 79481,
    anidb: 4563,
    mal: 1535,
    title: 'Death Note',
    year: 2006,
    country: 'jp',
    aliases: ['デスノート'],
    seasons: [{ number: 1, episodes: episodes(100, 37) }],
  },
];

/** Same catalog the Simkl server builds for these options (only `options.catalog` matters). */
export function simklCatalogFor(options: { catalog?: Partial<CatalogOptions> } = {}): SimklCatalog {
  const base = catalogFor(options);
  const movies = base.movies.map((m, i) => ({ ...m, simkl: 600000 + i + 1 }));
  const shows: SimklShow[] = [...base.shows, ...EXTRA_ANIME].map((s: Show & { anidb?: number; mal?: number }, j) => {
    const anime = ANIME_IDS[s.slug] ?? (s.anidb !== undefined && s.mal !== undefined ? { anidb: s.anidb, mal: s.mal } : undefined);
    return { ...s, simkl: 800000 + j + 1, simklType: anime ? 'anime' : 'tv', ...anime };
  });
  return { movies, shows };
}
