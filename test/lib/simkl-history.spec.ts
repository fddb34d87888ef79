import { expect } from 'chai';
import nock from 'nock';
import type { MediaItem } from '../../lib/schema/types';
import { SimklClient } from '../../lib/simkl/client';
import { playKeys } from '../../lib/sync/play-keys';
import { SIMKL_API as API, simklFixture as fixture, simklRequired, simklTestbed } from './simkl-helpers';

const CLIENT_ID = 'simkl-client-id-0003';
const TOKEN = 'simkl-history-token-3';
const REQUIRED = simklRequired(CLIENT_ID);
const ALL_ITEMS_QUERY = (dateFrom: string) => ({ ...REQUIRED, date_from: dateFrom, episode_watched_at: 'yes', extended: 'full' });

describe('lib/simkl/client history (addHistory, readHistory)', () => {
  const simkl = simklTestbed(CLIENT_ID);
  const client = (): SimklClient => simkl.client({ token: TOKEN });

  /** Nocks POST /sync/history, capturing the body. */
  function historyPost(reply: nock.Body): { body?: Record<string, unknown> } {
    const seen: { body?: Record<string, unknown> } = {};
    nock(API)
      .matchHeader('authorization', `Bearer ${TOKEN}`)
      .post('/sync/history', (body: Record<string, unknown>) => {
        seen.body = body;
        return true;
      })
      .query(REQUIRED)
      .reply(201, reply);
    return seen;
  }

  describe('addHistory', () => {
    const movie: MediaItem = { type: 'movie', title: 'Dune: Part Two', year: 2024, ids: { simkl: 1015859, imdb: 'tt15239678', trakt: 9, slug: 'dune-part-two-2024', plex: 'abc' }, watchedAt: '2026-05-15T22:30:00Z' };
    const ep1: MediaItem = { type: 'episode', season: 1, episode: 1, show: { title: 'The Last of Us', year: 2023, ids: { tvdb: 392256, imdb: 'tt3581920' } }, ids: { tvdb: 8444132 }, watchedAt: '2026-05-13T19:00:00Z' };
    const ep2: MediaItem = { ...ep1, episode: 2, ids: {}, watchedAt: '2026-05-13T20:00:00Z' };
    const byOwnIds: MediaItem = { type: 'episode', season: 3, episode: 7, ids: { tvdb: 7001234 }, show: { title: '' }, watchedAt: '2026-05-12T18:00:00Z' };
    const anime: MediaItem = { type: 'episode', season: 1, episode: 5, show: { title: 'Frieren', year: 2023, ids: { anidb: 17617 } }, watchedAt: '2026-05-11T18:00:00Z' };
    const animeTvdb: MediaItem = { type: 'episode', season: 2, episode: 3, show: { title: 'Attack on Titan', year: 2013, ids: { mal: 16498, tvdb: 267440 } }, watchedAt: '2026-05-10T18:00:00Z' };

    it('sends movies by Simkl ids, shows with seasons, an episode by its ids and anime apart, in one POST', async () => {
      const seen = historyPost({ added: { movies: 1, shows: 3, episodes: 5 }, not_found: { movies: [], shows: [], episodes: [] } });
      const result = await client().addHistory([movie, ep1, ep2, byOwnIds, anime, animeTvdb]);
      expect(seen.body).to.deep.equal({
        // Trakt's slug and plex ids are not Simkl's: left out.
        movies: [{ title: 'Dune: Part Two', year: 2024, ids: { simkl: 1015859, imdb: 'tt15239678' }, watched_at: '2026-05-15T22:30:00Z' }],
        shows: [
          {
            title: 'The Last of Us',
            year: 2023,
            ids: { imdb: 'tt3581920', tvdb: 392256 },
            seasons: [{ number: 1, episodes: [{ number: 1, watched_at: '2026-05-13T19:00:00Z' }, { number: 2, watched_at: '2026-05-13T20:00:00Z' }] }],
          },
        ],
        anime: [
          { title: 'Frieren', year: 2023, ids: { anidb: 17617 }, seasons: [{ number: 1, episodes: [{ number: 5, watched_at: '2026-05-11T18:00:00Z' }] }] },
          // No AniDB id to say otherwise: the numbers are TVDB's, and Simkl is told so.
          { title: 'Attack on Titan', year: 2013, ids: { tvdb: 267440, mal: 16498 }, seasons: [{ number: 2, episodes: [{ number: 3, watched_at: '2026-05-10T18:00:00Z' }] }], use_tvdb_anime_seasons: true },
        ],
        episodes: [{ ids: { tvdb: 7001234 }, watched_at: '2026-05-12T18:00:00Z' }],
      });
      expect(result).to.deep.equal({ notFound: [], added: { movies: 1, episodes: 5 } });
    });

    it('maps not_found echoes back to positions: movies, shows, anime (under shows) and episodes, ids as strings', async () => {
      historyPost({
        added: { movies: 0, shows: 0, episodes: 0 },
        not_found: {
          movies: [{ title: 'Dune: Part Two', year: 2024, ids: { simkl: '1015859' } }],
          shows: [{ ids: { anidb: '17617' } }, { title: 'The Last of Us', ids: { tvdb: '392256', imdb: 'tt3581920' } }],
          episodes: [{ ids: { tvdb: '7001234' } }],
        },
      });
      const result = await client().addHistory([movie, ep1, ep2, byOwnIds, anime, animeTvdb]);
      expect(result.notFound).to.deep.equal([0, 1, 2, 3, 4]);
    });

    it('matches an echo without ids by title and year', async () => {
      historyPost({ added: { movies: 1 }, not_found: { movies: [{ title: 'Obscure Film', year: 1971 }] } });
      const plays: MediaItem[] = [
        { type: 'movie', title: 'Obscure Film', year: 1971, watchedAt: '2026-01-01T10:00:00Z' },
        { type: 'movie', title: 'Obscure Film', year: 1972, watchedAt: '2026-01-01T12:00:00Z' },
      ];
      expect((await client().addHistory(plays)).notFound).to.deep.equal([0]);
    });

    it('reads the documented answer (sample): nothing missing, counts by kind', async () => {
      historyPost(fixture('sync_history.response_201.json'));
      const result = await client().addHistory([movie, ep1]);
      expect(result).to.deep.equal({ notFound: [], added: { movies: 2, episodes: 64 } });
    });

    it('sends an episode from an anime agent (source hint, no anime ids) under anime', async () => {
      const seen = historyPost({ added: { episodes: 1 } });
      const hama: MediaItem = { type: 'episode', season: 1, episode: 2, show: { title: 'Mushishi', year: 2005 }, source: { kind: 'tautulli', ref: 'com.plexapp.agents.hama://anidb-3076' }, watchedAt: '2026-05-01T10:00:00Z' };
      await client().addHistory([hama]);
      expect(seen.body).to.deep.equal({ anime: [{ title: 'Mushishi', year: 2005, seasons: [{ number: 1, episodes: [{ number: 2, watched_at: '2026-05-01T10:00:00Z' }] }] }] });
    });

    it('leaves an unknown date out rather than sending "unknown"', async () => {
      const seen = historyPost({ added: { movies: 1 } });
      await client().addHistory([{ type: 'movie', title: 'Heat', year: 1995, watchedAt: 'unknown' }]);
      expect(seen.body).to.deep.equal({ movies: [{ title: 'Heat', year: 1995 }] });
    });
  });

  describe('readHistory', () => {
    function activities(reply: nock.Body): nock.Scope {
      return nock(API).matchHeader('authorization', `Bearer ${TOKEN}`).get('/sync/activities').query(REQUIRED).reply(200, reply);
    }

    it('reads activities first, then every list that moved, always with date_from a day before the window', async () => {
      const order: string[] = [];
      activities(fixture('sync_activities.response.json')).on('request', () => order.push('activities'));
      for (const list of ['movies', 'shows', 'anime']) {
        nock(API)
          .get(`/sync/all-items/${list}`)
          .query(ALL_ITEMS_QUERY('2026-05-13T06:00:00.000Z'))
          .reply(200, () => {
            order.push(list);
            return null;
          });
      }
      const plays = await client().readHistory({ from: '2026-05-14T06:00:00.000Z', to: '2026-05-14T06:59:59.999Z', types: ['movie', 'episode'] });
      expect(order).to.deep.equal(['activities', 'movies', 'shows', 'anime']);
      expect(plays).to.deep.equal([]);
    });

    it('reads no list when nothing moved since the window (activities only)', async () => {
      const gate = activities(fixture('sync_activities.response.json'));
      const list = nock(API).get(/\/sync\/all-items/).query(true).reply(200, {});
      const plays = await client().readHistory({ from: '2026-06-01T00:00:00.000Z', to: '2026-06-01T00:59:59.999Z', types: ['movie', 'episode'] });
      expect(gate.isDone()).to.equal(true);
      expect(list.isDone(), 'all-items must not be read').to.equal(false);
      expect(plays).to.deep.equal([]);
    });

    it('reads only the lists of the types asked for that moved; a null category never moved', async () => {
      activities({ movies: { all: '2026-05-14T06:50:38Z' }, tv_shows: { all: '2026-01-01T00:00:00Z', completed: null }, anime: null });
      const movies = nock(API).get('/sync/all-items/movies').query(ALL_ITEMS_QUERY('2026-05-13T06:00:00.000Z')).reply(200, fixture('sync_all_items_empty.response.json'));
      const other = nock(API).get(/\/sync\/all-items\/(shows|anime)/).query(true).reply(200, {});
      await client().readHistory({ from: '2026-05-14T06:00:00.000Z', to: '2026-05-14T06:59:59.999Z', types: ['movie', 'episode'] });
      expect(movies.isDone()).to.equal(true);
      expect(other.isDone()).to.equal(false);

      activities(fixture('sync_activities.response.json'));
      const onlyMovies = nock(API).get('/sync/all-items/movies').query(true).reply(200, 'null', { 'content-type': 'application/json' });
      await client().readHistory({ from: '2026-05-14T06:00:00.000Z', to: '2026-05-14T06:59:59.999Z', types: ['movie'] });
      expect(onlyMovies.isDone()).to.equal(true);
      expect(other.isDone()).to.equal(false);
    });

    it('reads a list whose category Simkl left out of the activities (unknown is not "unchanged")', async () => {
      activities({ movies: { all: '2020-01-01T00:00:00Z' } });
      const shows = nock(API).get('/sync/all-items/shows').query(ALL_ITEMS_QUERY('2026-05-13T06:00:00.000Z')).reply(200, {});
      const anime = nock(API).get('/sync/all-items/anime').query(ALL_ITEMS_QUERY('2026-05-13T06:00:00.000Z')).reply(200, {});
      const movies = nock(API).get('/sync/all-items/movies').query(true).reply(200, {});
      await client().readHistory({ from: '2026-05-14T06:00:00.000Z', to: '2026-05-14T06:59:59.999Z', types: ['movie', 'episode'] });
      expect(shows.isDone() && anime.isDone()).to.equal(true);
      expect(movies.isDone()).to.equal(false);
    });

    it('returns the plays in the window: a movie at its last watch, episodes at their own watch times', async () => {
      activities({ movies: { all: '2024-06-02T21:00:00Z' }, tv_shows: { all: '2024-06-02T21:00:00Z' }, anime: { all: '2024-06-02T21:00:00Z' } });
      const moviesBody = fixture('sync_all_items_movies_completed.response.json') as { movies: Array<Record<string, unknown>> };
      moviesBody.movies.push({ last_watched_at: '2024-06-02T18:20:00Z', status: 'completed', movie: { title: 'Heat', year: 1995, ids: { simkl: 30591, imdb: 'tt0113277', tmdb: '949' } } });
      const query = ALL_ITEMS_QUERY('2024-06-01T18:00:00.000Z');
      nock(API).get('/sync/all-items/movies').query(query).reply(200, moviesBody);
      nock(API).get('/sync/all-items/shows').query(query).reply(200, fixture('sync_all_items_shows_episodes.response.json'));
      nock(API).get('/sync/all-items/anime').query(query).reply(200, fixture('sync_all_items_anime_episodes.response.json'));
      const plays = await client().readHistory({ from: '2024-06-02T18:00:00.000Z', to: '2024-06-02T20:59:59.999Z', types: ['movie', 'episode'] });
      const got = { ids: { simkl: 17465, imdb: 'tt0944947', tvdb: 121361, tmdb: 1399 }, title: 'Game of Thrones', year: 2011 };
      const frieren = { ids: { simkl: 2035458, mal: 52991, anidb: 17617 }, title: "Frieren: Beyond Journey's End", year: 2023 };
      expect(plays).to.deep.equal([
        // Captain America (last watched 2014) and S05E10 (May) are outside the window.
        { type: 'movie', title: 'Heat', year: 1995, ids: { simkl: 30591, imdb: 'tt0113277', tmdb: 949 }, watchedAt: '2024-06-02T18:20:00Z' },
        { type: 'episode', season: 6, episode: 1, show: got, watchedAt: '2024-06-02T18:45:00Z' },
        { type: 'episode', season: 6, episode: 2, show: got, watchedAt: '2024-06-02T19:45:00Z' },
        // No per-episode times for this one: its last episode at its last watch.
        { type: 'episode', season: 2, episode: 4, show: { ids: { simkl: 1026371, imdb: 'tt11280740', tvdb: 371980 }, title: 'Severance', year: 2022 }, watchedAt: '2024-06-02T18:10:00Z' },
        { type: 'episode', season: 1, episode: 1, show: frieren, watchedAt: '2024-06-02T20:05:00Z' },
        { type: 'episode', season: 1, episode: 2, show: frieren, watchedAt: '2024-06-02T20:30:00Z' },
      ]);
    });

    it('lets the ledger recognise a written play in what it reads back', async () => {
      const written: MediaItem = { type: 'episode', season: 6, episode: 1, show: { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361 } }, ids: { tvdb: 5600000 }, watchedAt: '2024-06-02T18:45:31.000Z' };
      activities({ movies: null, tv_shows: { all: '2024-06-02T21:00:00Z' }, anime: null });
      nock(API).get('/sync/all-items/shows').query(true).reply(200, fixture('sync_all_items_shows_episodes.response.json'));
      const rows = await client().readHistory({ from: '2024-06-02T18:45:00.000Z', to: '2024-06-02T18:45:59.999Z', types: ['episode'] });
      const onTracker = new Set(rows.flatMap(playKeys));
      expect(playKeys(written).some((key) => onTracker.has(key))).to.equal(true);
    });
  });
});
