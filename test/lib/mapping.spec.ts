import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaItem } from '../../lib/schema/types';
import { validateMediaItems } from '../../lib/schema/validate';
import { playKeys } from '../../lib/sync/play-keys';
import { buildHistoryBody, notFoundPositions, rowToItem, traktIds } from '../../lib/trakt/mapping';
import type { TraktHistoryRow, TraktSyncObject } from '../../lib/trakt/types';

const SAMPLES = join(__dirname, '..', 'fixtures', 'trakt');

/** Reads the JSON body of a raw .http sample (headers, blank line, body). */
function httpSampleBody<T>(name: string): T {
  const raw = readFileSync(`${SAMPLES}/${name}`, 'utf8');
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).trim();
  return JSON.parse(body) as T;
}

const at = (item: MediaItem) => item.watchedAt ?? 'unknown';
/** What Trakt echoes in not_found: the submitted object, as JSON. */
const echo = <T>(object: T): T => JSON.parse(JSON.stringify(object)) as T;

const GOT = { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, imdb: 'tt0944947', tmdb: 1399 } };

const movie = (imdb: string, watchedAt: string, extra: Partial<MediaItem> = {}): MediaItem => ({ type: 'movie', ids: { imdb }, watchedAt, ...extra });
const nestedEpisode = (show: MediaItem['show'], season: number, episode: number, watchedAt: string): MediaItem => ({ type: 'episode', season, episode, show, watchedAt });

describe('lib/trakt/mapping', () => {
  describe('traktIds', () => {
    it('keeps only the id kinds Trakt knows, in a stable order', () => {
      expect(traktIds({ plex: 'abc', simkl: 5, imdb: 'tt1', tmdb: 2, letterboxd: 'x', mal: 3, anidb: 4 })).to.deep.equal({ imdb: 'tt1', tmdb: 2 });
      expect(traktIds({ plex: 'abc' })).to.equal(undefined);
      expect(traktIds(undefined)).to.equal(undefined);
    });
  });

  describe('buildHistoryBody', () => {
    it('puts a movie with ids in movies[] with title, year and watched_at, dropping plex/simkl ids', () => {
      const plan = buildHistoryBody(
        [{ type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666', tmdb: 27205, plex: 'plex://movie/1', simkl: 5, letterboxd: 'inception' }, watchedAt: '2024-01-15T20:41:00.000Z' }],
        at,
      );
      expect(plan.body).to.deep.equal({
        movies: [{ title: 'Inception', year: 2010, ids: { imdb: 'tt1375666', tmdb: 27205 }, watched_at: '2024-01-15T20:41:00.000Z' }],
        shows: [],
        episodes: [],
      });
    });

    it('sends a movie without ids by title and year (Trakt falls back to them)', () => {
      const plan = buildHistoryBody([{ type: 'movie', title: 'Heat', year: 1995, ids: { plex: '9' }, watchedAt: '2024-01-01T00:00:00Z' }], at);
      expect(plan.body.movies).to.deep.equal([{ title: 'Heat', year: 1995, watched_at: '2024-01-01T00:00:00Z' }]);
    });

    it('puts an episode with its own ids in episodes[]', () => {
      const plan = buildHistoryBody(
        [{ type: 'episode', title: 'The Red Woman', season: 6, episode: 1, show: GOT, ids: { tvdb: 5600000, plex: 'p' }, watchedAt: '2024-06-02T18:45:00.000Z' }],
        at,
      );
      expect(plan.body).to.deep.equal({ movies: [], shows: [], episodes: [{ ids: { tvdb: 5600000 }, watched_at: '2024-06-02T18:45:00.000Z' }] });
    });

    it('nests episodes without ids under shows[].seasons[].episodes with watched_at', () => {
      const plays = [
        nestedEpisode(GOT, 6, 1, '2024-06-02T18:45:00.000Z'),
        nestedEpisode(GOT, 6, 2, '2024-06-03T18:45:00.000Z'),
        nestedEpisode(GOT, 7, 1, '2024-06-04T18:45:00.000Z'),
        { ...nestedEpisode(GOT, 7, 2, '2024-06-05T18:45:00.000Z'), ids: { plex: 'only-plex' } },
      ];
      const plan = buildHistoryBody(plays, at);
      expect(plan.body.movies).to.deep.equal([]);
      expect(plan.body.episodes).to.deep.equal([]);
      expect(plan.body.shows).to.deep.equal([
        {
          title: 'Game of Thrones',
          year: 2011,
          ids: { imdb: 'tt0944947', tmdb: 1399, tvdb: 121361 },
          seasons: [
            { number: 6, episodes: [{ number: 1, watched_at: '2024-06-02T18:45:00.000Z' }, { number: 2, watched_at: '2024-06-03T18:45:00.000Z' }] },
            { number: 7, episodes: [{ number: 1, watched_at: '2024-06-04T18:45:00.000Z' }, { number: 2, watched_at: '2024-06-05T18:45:00.000Z' }] },
          ],
        },
      ]);
    });

    it('keeps different shows apart when they are known by title only', () => {
      const plan = buildHistoryBody(
        [nestedEpisode({ title: 'Severance', year: 2022 }, 1, 1, '2024-01-01T10:00:00Z'), nestedEpisode({ title: 'Dark', year: 2017 }, 1, 1, '2024-01-01T11:00:00Z')],
        at,
      );
      expect(plan.body.shows.map((s) => s.title)).to.deep.equal(['Severance', 'Dark']);
    });

    it('keeps different shows apart when they only carry ids Trakt does not know (plex, simkl)', () => {
      // Tautulli/Simkl sources may give a show title plus only a plex or simkl id.
      const plan = buildHistoryBody(
        [
          nestedEpisode({ title: 'Severance', year: 2022, ids: { plex: 'plex://show/1' } }, 1, 1, '2024-01-01T10:00:00Z'),
          nestedEpisode({ title: 'Dark', year: 2017, ids: { simkl: 77 } }, 1, 1, '2024-01-01T11:00:00Z'),
        ],
        at,
      );
      // Merging them would mark Severance S01E01 watched twice and Dark not at all.
      expect(plan.body.shows).to.deep.equal([
        { title: 'Severance', year: 2022, seasons: [{ number: 1, episodes: [{ number: 1, watched_at: '2024-01-01T10:00:00Z' }] }] },
        { title: 'Dark', year: 2017, seasons: [{ number: 1, episodes: [{ number: 1, watched_at: '2024-01-01T11:00:00Z' }] }] },
      ]);
    });

    it('uses the watchedAtOf callback (e.g. "unknown" for undated plays)', () => {
      const plan = buildHistoryBody([{ type: 'movie', ids: { tmdb: 1 } }, nestedEpisode(GOT, 1, 1, undefined as unknown as string)], at);
      expect(plan.body.movies[0].watched_at).to.equal('unknown');
      expect(plan.body.shows[0].seasons![0].episodes[0].watched_at).to.equal('unknown');
    });
  });

  describe('notFoundPositions', () => {
    const plays: MediaItem[] = [
      movie('tt1375666', '2024-01-01T10:00:00Z'), // 0
      nestedEpisode(GOT, 1, 1, '2024-01-01T11:00:00Z'), // 1
      movie('tt0000111', '2024-01-01T12:00:00Z'), // 2
      { type: 'episode', season: 2, episode: 3, show: GOT, ids: { tvdb: 999 }, watchedAt: '2024-01-01T13:00:00Z' }, // 3
      nestedEpisode(GOT, 1, 2, '2024-01-01T14:00:00Z'), // 4
      nestedEpisode({ title: 'Dark', year: 2017 }, 1, 1, '2024-01-01T15:00:00Z'), // 5
      { type: 'movie', title: 'Heat', year: 1995, watchedAt: '2024-01-01T16:00:00Z' }, // 6
      { type: 'episode', season: 2, episode: 4, show: GOT, ids: { tvdb: 1000 }, watchedAt: '2024-01-01T17:00:00Z' }, // 7
    ];

    it('maps a movie echo back to its play', () => {
      const plan = buildHistoryBody(plays, at);
      const missing = plan.body.movies.find((m) => m.ids?.imdb === 'tt0000111')!;
      expect(notFoundPositions(plan, { movies: [echo(missing)], shows: [], episodes: [] })).to.deep.equal([2]);
    });

    it('maps the doc-style movie echo with ids only', () => {
      const plan = buildHistoryBody(plays, at);
      expect(notFoundPositions(plan, { movies: [{ ids: { imdb: 'tt0000111' } }] })).to.deep.equal([2]);
    });

    it('maps an episode echo back to its play', () => {
      const plan = buildHistoryBody(plays, at);
      const missing = plan.body.episodes.find((e) => e.ids?.tvdb === 1000)!;
      expect(notFoundPositions(plan, { episodes: [echo(missing)] })).to.deep.equal([7]);
    });

    it('maps a show echo to every play nested under it', () => {
      const plan = buildHistoryBody(plays, at);
      const got = plan.body.shows.find((s) => s.title === 'Game of Thrones')!;
      expect(notFoundPositions(plan, { shows: [echo(got)] })).to.deep.equal([1, 4]);
    });

    it('matches title-only objects by title and year', () => {
      const plan = buildHistoryBody(plays, at);
      const dark = plan.body.shows.find((s) => s.title === 'Dark')!;
      const heat = plan.body.movies.find((m) => m.title === 'Heat')!;
      expect(notFoundPositions(plan, { shows: [echo(dark)], movies: [echo(heat)] })).to.deep.equal([5, 6]);
    });

    it('combines echoes of several kinds, sorted, and ignores unrelated echoes', () => {
      const plan = buildHistoryBody(plays, at);
      const got = plan.body.shows.find((s) => s.title === 'Game of Thrones')!;
      const notFound: { movies: TraktSyncObject[]; shows: TraktSyncObject[]; episodes: TraktSyncObject[] } = {
        movies: [{ ids: { imdb: 'tt0000111' } }, { ids: { imdb: 'tt9999999' } }],
        shows: [echo(got)],
        episodes: [{ ids: { tvdb: 999 } }],
      };
      expect(notFoundPositions(plan, notFound)).to.deep.equal([1, 2, 3, 4]);
    });

    it('returns nothing when there is no not_found or it is empty', () => {
      const plan = buildHistoryBody(plays, at);
      expect(notFoundPositions(plan, undefined)).to.deep.equal([]);
      expect(notFoundPositions(plan, { movies: [], shows: [], episodes: [] })).to.deep.equal([]);
    });
  });

  describe('rowToItem (users/me/history sample rows)', () => {
    const rows = httpSampleBody<TraktHistoryRow[]>('users_me_history.page1.http');

    it('turns a movie row into a movie item', () => {
      expect(rowToItem(rows[0])).to.deep.equal({
        type: 'movie',
        title: 'TRON: Legacy',
        year: 2010,
        ids: { trakt: 12601, slug: 'tron-legacy-2010', imdb: 'tt1104001', tmdb: 20526 },
        watchedAt: '2014-03-31T09:28:53.000Z',
      });
    });

    it('turns an episode row into an episode item with its show, dropping null ids', () => {
      expect(rowToItem(rows[1])).to.deep.equal({
        type: 'episode',
        title: 'Pawnee Zoo',
        season: 2,
        episode: 1,
        ids: { trakt: 251, tvdb: 797571, tmdb: 397629 },
        show: { title: 'Parks and Recreation', year: 2009, ids: { trakt: 4, slug: 'parks-and-recreation', tvdb: 84912, imdb: 'tt1266020', tmdb: 8592 } },
        watchedAt: '2014-03-30T20:00:00.000Z',
      });
    });

    it('produces valid media items that meet the plays they came from in the ledger keys', () => {
      const items = rows.map(rowToItem);
      expect(validateMediaItems(items).invalid).to.deep.equal([]);
      const sent = movie('tt1104001', '2014-03-31T09:28:00Z');
      expect(playKeys(items[0]).some((k) => playKeys(sent).includes(k))).to.equal(true);
      const sentEpisode = nestedEpisode({ title: 'Parks and Recreation', ids: { tvdb: 84912 } }, 2, 1, '2014-03-30T20:00:30Z');
      expect(playKeys(items[1]).some((k) => playKeys(sentEpisode).includes(k))).to.equal(true);
    });

    it('drops empty-string imdb ids too', () => {
      const item = rowToItem({ id: 1, watched_at: '2020-01-01T00:00:00.000Z', action: 'watch', type: 'movie', movie: { title: 'X', year: 2000, ids: { trakt: 5, imdb: '', tmdb: null } } });
      expect(item.ids).to.deep.equal({ trakt: 5 });
    });
  });
});
