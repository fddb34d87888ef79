// Deterministic play generators for end-to-end tests and benchmarks: media items as clawarr nodes
// receive them, built from the sandbox catalog, plus the key each should have on the fake Trakt.
import type { Catalog } from './trakt/types';

export interface GeneratedPlay {
  type: 'movie' | 'episode';
  title?: string;
  year?: number;
  season?: number;
  episode?: number;
  show?: { title: string; year: number; ids: { tvdb: number; imdb: string; tmdb: number } };
  ids?: Record<string, string | number>;
  watchedAt: string;
  source: { kind: string; ref: string };
}

/**
 * `count` distinct plays, about half movies and half episodes; every third episode carries only
 * its show's ids and numbers; some movies are watched again at a later minute (rewatches).
 */
export function generatePlays(catalog: Catalog, count: number, startIso = '2020-01-01T00:00:00.000Z'): GeneratedPlay[] {
  const plays: GeneratedPlay[] = [];
  const start = Date.parse(startIso);
  const episodes = catalog.shows.flatMap((show) => show.seasons.flatMap((season) => season.episodes.map((episode) => ({ show, season, episode }))));
  for (let i = 0; i < count; i++) {
    // 37 minutes apart plus the seconds Tautulli would report: the ledger must truncate them.
    const watchedAt = new Date(start + i * 37 * 60_000 + (i % 60) * 1000).toISOString();
    if (i % 2 === 0) {
      const movie = catalog.movies[(i / 2) % catalog.movies.length];
      plays.push({ type: 'movie', title: movie.title, year: movie.year, ids: i % 4 === 0 ? { imdb: movie.imdb, tmdb: movie.tmdb } : { tmdb: movie.tmdb }, watchedAt, source: { kind: 'generated', ref: String(i) } });
    } else {
      const { show, season, episode } = episodes[((i - 1) / 2) % episodes.length];
      const showRef = { title: show.title, year: show.year, ids: { tvdb: show.tvdb, imdb: show.imdb, tmdb: show.tmdb } };
      const withOwnIds = i % 3 !== 0;
      plays.push({
        type: 'episode',
        title: episode.title,
        season: season.number,
        episode: episode.number,
        show: showRef,
        ...(withOwnIds ? { ids: { tvdb: episode.ids.tvdb } } : {}),
        watchedAt,
        source: { kind: 'generated', ref: String(i) },
      });
    }
  }
  return plays;
}

/** The key a play has on the fake Trakt: `movie:<trakt id>@<minute>` / `episode:<trakt id>@<minute>`. */
export function expectedKey(catalog: Catalog, play: GeneratedPlay): string {
  const minute = new Date(Math.floor(Date.parse(play.watchedAt) / 60_000) * 60_000).toISOString();
  if (play.type === 'movie') {
    const movie = catalog.movies.find((m) => m.tmdb === play.ids?.tmdb);
    return `movie:${movie?.trakt}@${minute}`;
  }
  const show = catalog.shows.find((s) => s.tvdb === play.show?.ids.tvdb);
  const episode = show?.seasons.find((s) => s.number === play.season)?.episodes.find((e) => e.number === play.episode);
  return `episode:${episode?.ids.trakt}@${minute}`;
}

export function sandboxKey(play: { type: string; movieId?: number; episodeId?: number; watchedAt: string }): string {
  return `${play.type}:${play.type === 'movie' ? play.movieId : play.episodeId}@${new Date(play.watchedAt).toISOString()}`;
}
