import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { validateMediaItems } from '../../lib/schema/validate';
import { fixture, importErrorOf, runCsv, runFile } from './import-helpers';

const TVTIME = (name: string) => fixture('tvtime', name);

describe('lib/importers: TV Time', () => {
  it('seen_episode.csv: one play per row, episode_id as the episode TVDB id, times read as UTC', async () => {
    const { items, rejected, summary } = await runFile(TVTIME('seen_episode.csv'));
    expect(rejected).to.deep.equal([]);
    expect(summary.files).to.deep.equal([{ file: 'seen_episode.csv', kind: 'seen_episode', items: 7, rejected: 0, skipped: 0 }]);
    expect(items[0]).to.deep.equal({
      type: 'episode',
      season: 1,
      episode: 1,
      show: { title: 'Game of Thrones' },
      ids: { tvdb: 3254641 },
      watchedAt: '2018-06-14T12:41:03.000Z',
      source: { kind: 'tvtime', ref: 'seen_episode.csv:2', list: 'history' },
    });
    expect(validateMediaItems(items).invalid).to.deep.equal([]);
  });

  it('keeps "(2018)" in the show title as a hint, reads quoted names, specials (season 0) and accents', async () => {
    const { items } = await runFile(TVTIME('seen_episode.csv'));
    expect(items.map((i) => [i.show?.title, i.season, i.episode])).to.deep.include.members([
      ['Bodyguard (2018)', 1, 6],
      ['Law & Order: Special Victims Unit', 12, 1],
      ['Love, Death & Robots', 0, 1],
      ['Pokémon', 23, 1],
    ]);
  });

  it('parses by header name whatever the column order (a seen_episode_source.csv with CRLF), rejecting rows with empty names or numbers', async () => {
    const { items, rejected } = await runFile(TVTIME('seen_episode_source.csv'));
    expect(items.map((i) => [i.show?.title, i.season, i.episode, i.ids?.tvdb, i.watchedAt])).to.deep.equal([
      ['Game of Thrones', 1, 4, 3483661, '2018-09-17T06:00:00.000Z'], // created_at empty → updated_at
      ['Law & Order: Special Victims Unit', 12, 2, 4185814, '2019-01-06T20:10:00.000Z'],
    ]);
    expect(rejected.map(({ line, reason }) => ({ line, reason }))).to.deep.equal([
      { line: 4, reason: 'no show name or show id' },
      { line: 5, reason: 'no episode_number (episode number)' },
      { line: 6, reason: 'updated_at "2019-02-30 10:00:00" is not a real date and time' },
    ]);
    expect(rejected[0].row).to.include({ tv_show_name: '', episode_number: '5', episode_id: '1' });
  });

  it('rewatched_episode.csv: one rewatch play per row at updated_at (cpt earlier rewatches have no time)', async () => {
    const { items } = await runFile(TVTIME('rewatched_episode.csv'));
    expect(items).to.deep.equal([
      {
        type: 'episode',
        season: 1,
        episode: 1,
        show: { title: 'Game of Thrones' },
        ids: { tvdb: 3254641 },
        watchedAt: '2021-02-03T04:05:06.000Z',
        rewatch: true,
        source: { kind: 'tvtime', ref: 'rewatched_episode.csv:2', list: 'history' },
      },
    ]);
  });

  it('tracking-prod-records-v2.csv: watch/rewatch-episode rows are plays with the show TVDB id; user-series rows are skipped', async () => {
    const { items, rejected, summary } = await runFile(TVTIME('tracking-prod-records-v2.csv'));
    expect(rejected).to.deep.equal([]);
    expect(summary.files).to.deep.equal([{ file: 'tracking-prod-records-v2.csv', kind: 'tracking-v2', items: 3, rejected: 0, skipped: 1 }]);
    expect(items[0]).to.deep.equal({
      type: 'episode',
      season: 1,
      episode: 6,
      show: { title: 'Bodyguard (2018)', ids: { tvdb: 349310 } },
      ids: { tvdb: 6733513 },
      watchedAt: '2023-11-04T15:30:38.000Z',
      source: { kind: 'tvtime', ref: 'tracking-prod-records-v2.csv:2', list: 'history' },
    });
    expect(items[1].watchedAt).to.equal('2023-12-01T10:00:00.000Z');
    expect(items[2]).to.deep.include({ season: 4, episode: 5, rewatch: true, watchedAt: '2025-11-29T18:13:36.000Z', show: { title: 'The Witcher', ids: { tvdb: 362696 } } });
  });

  it('tracking-prod-records-v2.csv: an unknown key or a row without show is rejected with the reason', async () => {
    const header = 'key,s_id,series_name,season_number,episode_number,episode_id,created_at';
    const csv = [header, 'watch-movie-x,1,Film,,,,2024-01-01 10:00:00', ',1,Show,1,1,,2024-01-01 10:00:00', 'watch-episode-y,,,1,2,,2024-01-01 10:00:00', 'watch-episode-z,,Show,1,2,,2024-01-01 10:00:00'].join('\n');
    const { items, rejected } = await runCsv(csv);
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [2, 'a record of an unknown kind (key "watch-movie-x"): expected watch-episode-…, rewatch-episode-… or user-series-…'],
      [3, 'no key (the record kind)'],
      [4, 'no show name or show id'],
    ]);
    expect(items).to.have.length(1);
  });

  it('tracking-prod-records.csv (v1): movie watch → play, towatch → watchlist, episode with epoch watch_date, counters skipped', async () => {
    const { items, rejected, summary } = await runFile(TVTIME('tracking-prod-records.csv'));
    expect(rejected).to.deep.equal([]);
    expect(summary.files[0]).to.deep.equal({ file: 'tracking-prod-records.csv', kind: 'tracking-v1', items: 3, rejected: 0, skipped: 1 });
    expect(items).to.deep.equal([
      { type: 'movie', title: 'Fury', year: 2014, watchedAt: '2019-09-08T17:24:29.000Z', source: { kind: 'tvtime', ref: 'tracking-prod-records.csv:2', list: 'history' } },
      { type: 'movie', title: 'The Batman', year: 2022, listedAt: '2023-09-04T21:53:54.000Z', source: { kind: 'tvtime', ref: 'tracking-prod-records.csv:3', list: 'watchlist' } },
      {
        type: 'episode',
        season: 6,
        episode: 17,
        show: { title: 'The Blacklist' },
        watchedAt: new Date(1616481927 * 1000).toISOString(),
        source: { kind: 'tvtime', ref: 'tracking-prod-records.csv:4', list: 'history' },
      },
    ]);
  });

  it('tracking-prod-records.csv (v1): a rewatch, a 0000 release date and an unknown type', async () => {
    const header = 'type,entity_type,movie_name,series_name,release_date,watch_date,created_at,series_id,season_number,episode_number,episode_id';
    const csv = [header, 'rewatch,movie,Heat,,0000-00-00 00:00:00,1700000000,2023-11-14 22:13:20,,,,', 'follow,,,Dexter,,,2021-01-01 00:00:00,79349,,,', 'watch,movie,,,,,2021-01-01 00:00:00,,,,'].join('\n');
    const { items, rejected } = await runCsv(csv, { fileName: 'tracking-prod-records.csv' });
    expect(items).to.deep.equal([{ type: 'movie', title: 'Heat', watchedAt: '2023-11-14T22:13:20.000Z', rewatch: true, source: { kind: 'tvtime', ref: 'tracking-prod-records.csv:2', list: 'history' } }]);
    expect(rejected.map((r) => [r.line, r.reason])).to.deep.equal([
      [3, 'a record of an unknown kind (type "follow"): expected watch, rewatch or towatch'],
      [4, 'no movie_name (the film title)'],
    ]);
  });

  it('followed_tv_show.csv alone: a known file whose rows are show ids only (skipped, no items)', async () => {
    const { items, summary } = await runFile(TVTIME('followed_tv_show.csv'));
    expect(items).to.deep.equal([]);
    expect(summary).to.deep.include({ format: 'tvtime', items: 0, rejected: 0, skipped: 3 });
    expect(summary.files[0].kind).to.equal('shows');
  });

  it('a forced tvtime format refuses an IMDb file', async () => {
    const message = await importErrorOf(runCsv(readFileSync(fixture('imdb', 'ratings_v2_2017-2024.csv')), { format: 'tvtime' }));
    expect(message).to.match(/^this CSV is not a TV Time export \(its columns are: Const, Your Rating, Date Rated, /);
  });
});
