import { mapGenericRow } from './generic';
import { mapImdbRow } from './imdb';
import { hasAll, plainReader, type Kind } from './kind';
import { mapLetterboxdRow, type LetterboxdFile } from './letterboxd';
import { IMPORT_COLUMNS, mapLetterboxdImportRow } from './letterboxd-import';
import { LIST_TITLE, listReader } from './letterboxd-list';
import type { Header } from './row';
import { rewatchedReader, seenReader, showsReader } from './tvtime-seen';
import { trackingV1Reader, trackingV2Reader } from './tvtime-tracking';

/** A path pattern anchored at a folder boundary: "diary.csv" matches "diary.csv" and "x/diary.csv". */
function named(pattern: string): RegExp {
  return new RegExp(`(^|/)${pattern}$`);
}

function letterboxd(id: LetterboxdFile, names: RegExp[], columns: string[]): Kind {
  return {
    id,
    format: 'letterboxd',
    role: 'items',
    names,
    matches: (h) => hasAll(h, columns),
    reader: () => plainReader((row) => mapLetterboxdRow(id, row)),
  };
}

/** A TV Time file, told by its columns; 'shows' files feed the show index instead of giving items. */
function tvtime(id: string, names: RegExp[], columns: string[], reader: Kind['reader'], role: Kind['role'] = 'items'): Kind {
  return { id, format: 'tvtime', role, names, matches: (h) => hasAll(h, columns), reader };
}

function ignored(id: string, format: Kind['format'], names: RegExp[], matches: (h: Header) => boolean = () => false): Kind {
  return { id, format, role: 'ignore', names, matches, reader: () => plainReader(() => ({ skip: true })) };
}

const FILM = ['Name', 'Letterboxd URI'];
const EPISODE = ['tv_show_name', 'episode_season_number', 'episode_number'];

/**
 * Every known export file. Detection tries the kinds a file's name announces, then every kind by its
 * header in this order: the more specific headers first (reviews ⊃ diary ⊃ ratings ⊃ watched), so
 * watched.csv, watchlist.csv and likes/films.csv, which share one header, need their names; a renamed
 * one reads as watched (no dates used as plays, so the safest reading).
 */
export const KINDS: readonly Kind[] = [
  {
    id: 'list',
    format: 'letterboxd',
    role: 'items',
    names: [/(^|\/)lists\/[^/]+\.csv$/],
    matches: (h) => LIST_TITLE.test(h.names[0] ?? ''),
    reader: listReader,
  },
  letterboxd('reviews', [named('reviews\\.csv')], [...FILM, 'Review']),
  letterboxd('diary', [named('diary\\.csv')], [...FILM, 'Watched Date']),
  letterboxd('ratings', [named('ratings\\.csv')], [...FILM, 'Rating']),
  letterboxd('watched', [named('watched\\.csv')], ['Date', ...FILM]),
  letterboxd('watchlist', [named('watchlist\\.csv')], ['Date', ...FILM]),
  letterboxd('likes', [/(^|\/)likes\/films\.csv$/, /^films\.csv$/], ['Date', ...FILM]),
  ignored('profile', 'letterboxd', [named('profile\\.csv')], (h) => hasAll(h, ['Date Joined', 'Username'])),
  ignored('comments', 'letterboxd', [named('comments\\.csv')], (h) => h.names.length === 2 && hasAll(h, ['Date', 'Content'])),
  ignored('liked reviews and lists', 'letterboxd', [/(^|\/)likes\/(reviews|lists)\.csv$/]),
  tvtime('rewatched_episode', [named('rewatched_episode\\.csv')], [...EPISODE, 'cpt'], rewatchedReader),
  tvtime('seen_episode', [named('(show_)?seen_episode[^/]*\\.csv')], EPISODE, seenReader),
  tvtime('tracking-v2', [named('tracking-prod-records-v2\\.csv')], ['key', 's_id', 'series_name'], trackingV2Reader),
  tvtime('tracking-v1', [named('tracking-prod-records\\.csv')], ['type', 'movie_name', 'series_name'], trackingV1Reader),
  tvtime('shows', [named('followed_tv_show\\.csv'), named('user_tv_show_data\\.csv')], ['tv_show_id', 'tv_show_name'], showsReader, 'shows'),
  {
    // IMDb names its exports after the list (ratings.csv, a UUID …): recognised by header only.
    id: 'ratings',
    format: 'imdb',
    role: 'items',
    names: [],
    matches: (h) => hasAll(h, ['Const', 'Title Type']) && (h.has('Your Rating') || h.has('Created')),
    reader: () => plainReader(mapImdbRow),
  },
  {
    id: 'import',
    format: 'letterboxd',
    role: 'items',
    names: [],
    matches: (h) => IMPORT_COLUMNS.some((c) => h.has(c)) && (h.has('Title') || h.has('imdbID') || h.has('tmdbID') || h.has('LetterboxdURI')),
    reader: () => plainReader(mapLetterboxdImportRow),
  },
  {
    // clawarr's own generic CSV (csv-export): `type` plus any of the item's fields by name.
    id: 'generic',
    format: 'generic',
    role: 'items',
    names: [named('media-items\\.csv')],
    matches: (h) => h.has('type') && (h.has('title') || h.has('watched_at') || h.has('imdb') || h.has('trakt') || h.has('show_title')),
    reader: () => plainReader(mapGenericRow),
  },
];

/** Files a TV Time zip should read first: they carry the show ids episodes are joined with. */
export function isShowIndexFile(path: string): boolean {
  return KINDS.some((k) => k.role === 'shows' && k.names.some((n) => n.test(path)));
}
