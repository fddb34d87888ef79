// What gets watched: the share of each Plex agent among plays (about half new agent, the rest the
// legacy zoo of api-facts §3.5) and which catalog item a play lands on.
import { CLASSIC_MOVIES, CLASSIC_SHOWS } from '../trakt/catalog-classics';
import type { Catalog, Movie, Show } from '../trakt/types';
import type { LibraryBuilder } from './library-items';
import { ANIDB_IDS, episodeSpec, movieSpec, UNMATCHABLE } from './library-titles';
import type { Prng } from './prng';
import type { GuidKind, TautulliItem } from './types';

export type Slot = { kind: GuidKind | 'unmatched'; media: 'movie' | 'episode'; weight: number };

// Percent of plays; "unmatched" (~2%) are items no tracker knows.
const MIX: Slot[] = [
  { kind: 'plex', media: 'movie', weight: 22 },
  { kind: 'plex', media: 'episode', weight: 28 },
  { kind: 'imdb', media: 'movie', weight: 7 },
  { kind: 'themoviedb', media: 'movie', weight: 5 },
  { kind: 'themoviedb', media: 'episode', weight: 3 },
  { kind: 'thetvdb', media: 'episode', weight: 10 },
  { kind: 'thetvdbdvdorder', media: 'episode', weight: 2 },
  { kind: 'hama-anidb', media: 'episode', weight: 3 },
  { kind: 'hama-tvdb', media: 'episode', weight: 2 },
  { kind: 'xbmcnfo', media: 'movie', weight: 3 },
  { kind: 'local', media: 'movie', weight: 6 },
  { kind: 'local', media: 'episode', weight: 3 },
  { kind: 'none', media: 'movie', weight: 4 },
  { kind: 'unmatched', media: 'movie', weight: 2 },
];

/**
 * The slot of each play: every slot once first (so small libraries still hold every kind), then
 * whichever slot is furthest behind its share, which keeps proportions exact.
 */
export function schedule(plays: number, prng: Prng): Slot[] {
  const total = MIX.reduce((s, m) => s + m.weight, 0);
  const counts = MIX.map(() => 0);
  const out: Slot[] = prng.shuffle([...MIX]).slice(0, plays);
  for (const slot of out) counts[MIX.indexOf(slot)]++;
  for (let i = out.length; i < plays; i++) {
    let best = 0;
    let bestDeficit = -Infinity;
    MIX.forEach((m, k) => {
      const deficit = (m.weight * (i + 1)) / total - counts[k];
      if (deficit > bestDeficit) [best, bestDeficit] = [k, deficit];
    });
    counts[best]++;
    out.push(MIX[best]);
  }
  return out;
}

export class ItemPicker {
  private readonly classicMovies: Movie[];
  private readonly otherMovies: Movie[];
  private readonly classicShows: Show[];
  private readonly otherShows: Show[];
  private readonly anime: Show[];

  constructor(
    catalog: Catalog,
    private readonly prng: Prng,
    private readonly builder: LibraryBuilder,
  ) {
    const classicMovieIds = new Set(CLASSIC_MOVIES.map((m) => m.trakt));
    const classicShowIds = new Set(CLASSIC_SHOWS.map((s) => s.trakt));
    this.classicMovies = catalog.movies.filter((m) => classicMovieIds.has(m.trakt));
    this.otherMovies = catalog.movies.filter((m) => !classicMovieIds.has(m.trakt));
    const shows = catalog.shows.filter((s) => s.seasons.some((season) => season.episodes.length > 0));
    this.anime = shows.filter((s) => ANIDB_IDS[s.trakt] !== undefined);
    this.classicShows = shows.filter((s) => classicShowIds.has(s.trakt) && !this.anime.includes(s));
    this.otherShows = shows.filter((s) => !classicShowIds.has(s.trakt));
  }

  /** A library item for the slot; the same catalog item under the same agent keeps its rating key. */
  pick(slot: Slot): TautulliItem {
    const { prng, builder } = this;
    if (slot.kind === 'unmatched') {
      const u = prng.pick(UNMATCHABLE);
      return u.movie ? builder.movie(u.kind, u.movie) : builder.episode(u.kind, u.episode!);
    }
    const kind = slot.kind;
    if (slot.media === 'movie') {
      // Title-only agents get the tricky titles more often: that is where matching gets hard.
      const tricky = prng.chance(kind === 'local' || kind === 'none' ? 0.6 : 0.25);
      const movie = tricky ? this.from(this.classicMovies, this.otherMovies, false) : this.from(this.otherMovies, this.classicMovies, true);
      return builder.movie(kind, movieSpec(movie, kind));
    }
    const everything = [...this.classicShows, ...this.otherShows, ...this.anime];
    const show = kind.startsWith('hama')
      ? this.from(this.anime, everything, false)
      : prng.chance(0.35)
        ? this.from(this.classicShows, everything, false)
        : this.from(this.otherShows, everything, true);
    const season = prng.pick(show.seasons.filter((s) => s.episodes.length > 0));
    return builder.episode(kind, episodeSpec(show, season, prng.pick(season.episodes), kind));
  }

  /** The traps are few and each should show up, so they are picked evenly; the rest by popularity. */
  private from<T>(preferred: T[], fallback: T[], popular: boolean): T {
    const list = preferred.length > 0 ? preferred : fallback;
    if (list.length === 0) throw new Error('the catalog has no items for this library');
    return popular ? this.prng.pickPopular(list) : this.prng.pick(list);
  }
}
