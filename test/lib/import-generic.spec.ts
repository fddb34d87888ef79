import { expect } from 'chai';
import { exportItems } from '../../lib/exporters';
import { importCsv } from '../../lib/importers';
import type { MediaItem } from '../../lib/schema/types';

describe('lib/importers: clawarr generic CSV (the csv-export round trip)', () => {
  it('reads back every field csv-export writes, episodes with their show ids included', async () => {
    const items: MediaItem[] = [
      { type: 'movie', title: 'Léon: The Professional', year: 1994, ids: { imdb: 'tt0110413', tmdb: 101, trakt: 9000010 }, watchedAt: '2023-02-13T20:41:00.000Z', rating: 7, rewatch: true, tags: ['besson', 'nyc'], review: 'A "quiet" man,\nand a plant.', source: { kind: 'trakt', ref: '55', list: 'history' } },
      { type: 'episode', title: 'The Red Woman', season: 6, episode: 1, ids: { tvdb: 5600000 }, show: { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, imdb: 'tt0944947' } }, watchedAt: '2024-06-02T18:45:00.000Z', source: { kind: 'trakt', ref: '56' } },
    ];
    const csv = exportItems(items, { format: 'generic' }).files[0].csv;
    const back: MediaItem[] = [];
    await importCsv(csv, { format: 'auto' }, (batch) => {
      back.push(...batch.items);
    });
    expect(back).to.deep.equal(items);
  });

  it('rejects a row whose type is not a media type, with its line', async () => {
    const rejected: Array<{ line: number; reason: string }> = [];
    await importCsv('type,title\nmovie,Dune\npodcast,Some Show\n', { format: 'generic' }, (batch) => {
      rejected.push(...batch.rejected);
    });
    expect(rejected).to.deep.equal([{ file: 'input.csv', line: 3, reason: 'type "podcast" is not movie, episode or show', row: { type: 'podcast', title: 'Some Show' } }]);
  });
});
