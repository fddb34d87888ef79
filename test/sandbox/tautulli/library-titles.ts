// How Plex names catalog items under each agent, and the few items no tracker can know. These are
// the matching traps: local files lose accents and punctuation, TVDB-based agents add "(US)",
// remakes differ only by year, AniDB ids mean nothing to Trakt.
import type { Episode, Movie, Season, Show } from '../trakt/types';
import type { GuidIds } from './guids';
import type { GuidKind } from './types';

export interface MovieSpec {
  key: string;
  title: string;
  originalTitle: string;
  year: number;
  ids: GuidIds;
  trakt: number | null;
}

export interface ShowSpec {
  key: string;
  title: string;
  year: number | '';
  ids: GuidIds;
  trakt: number | null;
}

export interface EpisodeSpec {
  show: ShowSpec;
  season: number;
  episode: number;
  title: string;
  year: number;
  ids: GuidIds;
  trakt: number | null;
}

// Titles as file names would have them (local://, none://): no accents, no colons.
const FILE_TITLES: Record<number, string> = {
  9000004: 'TRON Legacy',
  9000011: 'Amelie',
  9000012: 'Leon The Professional',
  9000013: 'Star Wars',
  9000014: 'Crouching Tiger Hidden Dragon',
};
// What Plex's metadata agents call them.
const AGENT_TITLES: Record<number, string> = { 9000013: 'Star Wars' };
const ORIGINAL_TITLES: Record<number, string> = { 9000011: "Le Fabuleux Destin d'Amélie Poulain", 9000012: 'Léon', 9000014: '臥虎藏龍' };
// TVDB names same-title shows by country; file names copy that.
const COUNTRY_TITLES: Record<number, string> = { 9100002: 'The Office (UK)', 9100003: 'The Office (US)', 9100004: 'Shameless (UK)', 9100005: 'Shameless (US)' };
/** AniDB ids of the anime in the catalog (Cowboy Bebop is AniDB 23). */
export const ANIDB_IDS: Record<number, number> = { 9100006: 23 };

const titleOnly = (kind: GuidKind): boolean => kind === 'local' || kind === 'none';
const tvdbNamed = (kind: GuidKind): boolean => ['plex', 'thetvdb', 'thetvdbdvdorder', 'local', 'none'].includes(kind);

export function movieSpec(movie: Movie, kind: GuidKind): MovieSpec {
  const named = titleOnly(kind) ? FILE_TITLES[movie.trakt] : AGENT_TITLES[movie.trakt];
  return {
    key: `movie:${movie.trakt}`,
    title: named ?? movie.title,
    originalTitle: titleOnly(kind) ? '' : (ORIGINAL_TITLES[movie.trakt] ?? ''),
    year: movie.year,
    ids: titleOnly(kind) ? {} : { imdb: movie.imdb, tmdb: movie.tmdb },
    trakt: movie.trakt,
  };
}

export function showSpec(show: Show, kind: GuidKind): ShowSpec {
  const countryTitle = tvdbNamed(kind) ? COUNTRY_TITLES[show.trakt] : undefined;
  return {
    key: `show:${show.trakt}`,
    title: countryTitle ?? show.title,
    // A local show folder named "The Office (US)" carries no year.
    year: titleOnly(kind) && countryTitle ? '' : show.year,
    ids: titleOnly(kind) ? {} : { imdb: show.imdb, tmdb: show.tmdb, tvdb: show.tvdb, anidb: ANIDB_IDS[show.trakt] },
    trakt: show.trakt,
  };
}

export function episodeSpec(show: Show, season: Season, episode: Episode, kind: GuidKind): EpisodeSpec {
  const { trakt, ...ids } = episode.ids;
  return {
    show: showSpec(show, kind),
    season: season.number,
    episode: episode.number,
    // Local files without metadata are named after the file.
    title: titleOnly(kind) ? `Episode ${episode.number}` : episode.title,
    year: show.year + Math.max(0, season.number - 1),
    ids: titleOnly(kind) ? {} : ids,
    trakt,
  };
}

/** Items that exist on no tracker: home videos, an unknown film, a show Trakt never heard of. */
export const UNMATCHABLE: Array<{ kind: GuidKind; movie?: MovieSpec; episode?: EpisodeSpec }> = [
  { kind: 'local', movie: { key: 'x:home-video', title: 'Home Video', originalTitle: '', year: 2019, ids: {}, trakt: null } },
  { kind: 'none', movie: { key: 'x:birthday', title: 'Birthday Party', originalTitle: '', year: 2015, ids: {}, trakt: null } },
  { kind: 'imdb', movie: { key: 'x:festival', title: 'Obscure Festival Short', originalTitle: '', year: 2003, ids: { imdb: 'tt9900001' }, trakt: null } },
  { kind: 'plex', movie: { key: 'x:slides', title: "Grandpa's Slides", originalTitle: '', year: 1987, ids: { imdb: 'tt9900002', tmdb: 99900002 }, trakt: null } },
  {
    kind: 'thetvdb',
    episode: {
      show: { key: 'x:anthology', title: 'Unaired Anthology', year: 1996, ids: { tvdb: 99900003 }, trakt: null },
      season: 1,
      episode: 1,
      title: 'Lost Pilot',
      year: 1996,
      ids: { tvdb: 99900004 },
      trakt: null,
    },
  },
];
