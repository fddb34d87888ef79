import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProblem } from '../../lib/schema/validate';
import type { MediaItem } from '../../lib/schema/types';
import { rowToItem } from '../../lib/tautulli/mapping';
import type { TautulliHistoryRow, TautulliMetadata } from '../../lib/tautulli/types';

const load = <T>(name: string): T => (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tautulli', name), 'utf8')) as { response: { data: T } }).response.data;
const rows = load<{ data: TautulliHistoryRow[] }>('get_history.json').data;
const episodeMetadata = load<TautulliMetadata>('get_metadata_episode.json');
const [plexMovie, plexEpisode, legacyEpisode, legacyMovie] = rows;

function item(result: MediaItem | { error: string }): MediaItem {
  if ('error' in result) throw new Error(`expected an item, got: ${result.error}`);
  expect(describeProblem(result), 'the item passes the media item schema').to.equal(undefined);
  return result;
}

describe('lib/tautulli/mapping rowToItem', () => {
  it('plex:// movie with "" parent keys, get_metadata gone ({}): keeps title and year so match can search', () => {
    expect(item(rowToItem(plexMovie))).to.deep.equal({
      type: 'movie',
      title: 'Crouching Tiger, Hidden Dragon',
      year: 2000,
      watchedAt: '2024-06-02T19:10:00.000Z',
      source: { kind: 'tautulli', ref: '5310', user: 'DanyKhaleesi69' },
    });
  });

  it('plex:// movie with metadata takes its ids from the metadata guids', () => {
    const mapped = item(rowToItem(plexMovie, { guids: ['imdb://tt0190332', 'tmdb://146'] }));
    expect(mapped.ids).to.deep.equal({ imdb: 'tt0190332', tmdb: 146 });
  });

  it('plex:// episode + sample metadata: episode ids on the item, show ids and the SHOW year (2011, not 2016) on the show', () => {
    expect(item(rowToItem(plexEpisode, episodeMetadata))).to.deep.equal({
      type: 'episode',
      title: 'The Red Woman',
      season: 6,
      episode: 1,
      show: { title: 'Game of Thrones', year: 2011, ids: { imdb: 'tt0944947', tmdb: 1399, tvdb: 121361 } },
      ids: { imdb: 'tt3658014', tmdb: 1156503, tvdb: 5469015 },
      watchedAt: '2024-05-29T17:11:40.000Z',
      source: { kind: 'tautulli', ref: '5200', user: 'DanyKhaleesi69' },
    });
  });

  it('plex:// episode without metadata keeps show title and numbers, no year from the episode row', () => {
    const mapped = item(rowToItem(plexEpisode));
    expect(mapped.show).to.deep.equal({ title: 'Game of Thrones' });
    expect(mapped.ids).to.equal(undefined);
    expect(mapped.year).to.equal(undefined);
  });

  it('legacy thetvdb episode: the guid gives the SHOW tvdb id, the row the numbers', () => {
    expect(item(rowToItem(legacyEpisode))).to.deep.equal({
      type: 'episode',
      title: 'The Red Woman',
      season: 6,
      episode: 1,
      show: { title: 'Game of Thrones', ids: { tvdb: 121361 } },
      watchedAt: '2016-05-08T06:19:30.000Z',
      source: { kind: 'tautulli', ref: '1124', user: 'DanyKhaleesi69' },
    });
  });

  it('legacy imdb movie: IMDb id from the guid, accents kept', () => {
    const mapped = item(rowToItem(legacyMovie));
    expect(mapped).to.deep.include({ type: 'movie', title: 'Léon: The Professional', year: 1994, ids: { imdb: 'tt0110413' } });
    expect(mapped.source).to.deep.equal({ kind: 'tautulli', ref: '900', user: 'jonsnow' });
  });

  it('accepts numeric strings and null ids, and keeps title hints like "The Office (US)"', () => {
    const row = {
      ...legacyEpisode,
      reference_id: null,
      id: null,
      row_id: 77,
      stopped: '1717355400',
      parent_media_index: '2',
      media_index: '0',
      year: '',
      grandparent_title: 'The Office (US)',
      title: 'Diversity Day',
      guid: 'com.plexapp.agents.thetvdb://73244/2/0?lang=en',
    } as unknown as TautulliHistoryRow;
    const mapped = item(rowToItem(row));
    expect(mapped).to.deep.include({ season: 2, episode: 0, watchedAt: '2024-06-02T19:10:00.000Z' });
    expect(mapped.show).to.deep.equal({ title: 'The Office (US)', ids: { tvdb: 73244 } });
    expect(mapped.source?.ref).to.equal('77');
  });

  it('a show id in the legacy guid wins over metadata, metadata fills the rest', () => {
    const mapped = item(rowToItem(legacyEpisode, { grandparent_guids: ['tvdb://999', 'imdb://tt0944947'], grandparent_year: '2011' }));
    expect(mapped.show).to.deep.equal({ title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, imdb: 'tt0944947' } });
  });

  describe('rows that cannot be a play give a reason naming the row', () => {
    const cases: Array<[string, Partial<Record<keyof TautulliHistoryRow, unknown>>, string]> = [
      ['no stopped time ("")', { ...plexMovie, stopped: '' }, 'row 5312: no stopped time'],
      ['no stopped time (null)', { ...plexMovie, stopped: null }, 'row 5312: no stopped time'],
      ['a music track', { ...plexMovie, media_type: 'track' }, 'row 5312: media type "track" is not a movie or an episode'],
      ['live TV', { ...plexMovie, media_type: 'live' }, 'row 5312: media type "live" is not a movie or an episode'],
      ['movie without title', { ...plexMovie, title: '', full_title: '' }, 'row 5312: no title'],
      ['episode without season', { ...plexEpisode, parent_media_index: '' }, 'row 5200: no season number'],
      ['episode without episode number', { ...plexEpisode, media_index: null }, 'row 5200: no episode number'],
      ['episode without show', { ...plexEpisode, grandparent_title: '' }, 'row 5200: no show title'],
    ];
    for (const [name, row, reason] of cases) {
      it(name, () => expect(rowToItem(row as TautulliHistoryRow)).to.deep.equal({ error: reason }));
    }
  });
});
