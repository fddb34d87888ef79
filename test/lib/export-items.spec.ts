import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { exportItems } from '../../lib/exporters';
import type { MediaItem } from '../../lib/schema/types';

const movie = (title: string, extra: Partial<MediaItem> = {}): MediaItem => ({ type: 'movie', title, year: 2000, ...extra });
const episode: MediaItem = { type: 'episode', season: 1, episode: 2, show: { title: 'Dark', ids: { tvdb: 334824 } }, watchedAt: '2024-05-01T21:00:00.000Z' };
const show: MediaItem = { type: 'show', title: 'Dark', year: 2017 };

function records(csv: string): Array<Record<string, string>> {
  return parse(csv, { columns: true }) as Array<Record<string, string>>;
}

describe('lib/exporters exportItems', () => {
  it('empty input is an empty result without headers', () => {
    expect(exportItems([])).to.deep.equal({ files: [], skipped: [] });
    expect(exportItems([], { format: 'letterboxd' })).to.deep.equal({ files: [], skipped: [] });
    expect(exportItems([], { format: 'generic' })).to.deep.equal({ files: [], skipped: [] });
  });

  it('auto (the default): films only → one Letterboxd file', () => {
    const result = exportItems([movie('A'), movie('B')]);
    expect(result.files.map(({ name, format, rows }) => ({ name, format, rows }))).to.deep.equal([{ name: 'letterboxd-import.csv', format: 'letterboxd', rows: 2 }]);
    expect(result.skipped).to.deep.equal([]);
    expect(result.files[0].csv).to.equal('Title,Year\r\nA,2000\r\nB,2000\r\n');
  });

  it('auto: episodes and shows go to a generic file, the second entry', () => {
    const result = exportItems([episode, movie('A'), show], { format: 'auto' });
    expect(result.files.map((f) => [f.format, f.rows])).to.deep.equal([['letterboxd', 1], ['generic', 2]]);
    expect(records(result.files[1].csv).map((r) => r.type)).to.deep.equal(['episode', 'show']);
    expect(result.skipped).to.deep.equal([]);
  });

  it('auto: TV only → just the generic file; a film Letterboxd cannot find goes there too', () => {
    const unmatched = movie('', { title: undefined, year: undefined, ids: { trakt: 16662 } });
    const result = exportItems([episode, unmatched]);
    expect(result.files.map((f) => f.format)).to.deep.equal(['generic']);
    expect(records(result.files[0].csv)).to.deep.equal([
      { type: 'episode', show_title: 'Dark', season: '1', episode: '2', watched_at: '2024-05-01T21:00:00.000Z', trakt: '', show_tvdb: '334824' },
      { type: 'movie', show_title: '', season: '', episode: '', watched_at: '', trakt: '16662', show_tvdb: '' },
    ]);
  });

  it('forced letterboxd: TV goes to skipped, with the reason; nothing left → files: []', () => {
    const mixed = exportItems([movie('A'), episode], { format: 'letterboxd' });
    expect(mixed.files.map((f) => f.rows)).to.deep.equal([1]);
    expect(mixed.skipped).to.have.length(1);
    expect(mixed.skipped[0].item).to.equal(episode);
    expect(mixed.skipped[0].reason).to.equal('Letterboxd is films only: cannot import an episode');
    const tvOnly = exportItems([episode, show], { format: 'letterboxd' });
    expect(tvOnly.files).to.deep.equal([]);
    expect(tvOnly.skipped.map((s) => s.item)).to.deep.equal([episode, show]);
  });

  it('forced generic: films too', () => {
    const result = exportItems([movie('A'), episode], { format: 'generic' });
    expect(result.files.map((f) => [f.name, f.rows])).to.deep.equal([['media-items.csv', 2]]);
  });

  it('a value no file can carry is skipped in auto as well, never written', () => {
    const bad = movie('A', { rating: 11 });
    const result = exportItems([bad, movie('B')]);
    expect(result.files.map((f) => f.rows)).to.deep.equal([1]);
    expect(result.skipped).to.deep.equal([{ item: bad, reason: 'rating 11 is not an integer from 1 to 10' }]);
  });

  it('quoting traps come back intact from both files', () => {
    const traps = ['Crouching Tiger, Hidden Dragon', '"Weird" Al', 'multi\nline', 'cr\rlf\r\n', ' padded ', 'Amélie · Léon – 東京物語 😀', '', ','];
    const items = traps.filter((t) => t !== '').map((title) => movie(title, { review: `${title}\n"${title}"`, watchedAt: '2024-01-01T00:00:00Z' }));
    const tv = traps.map((title, i): MediaItem => ({ ...episode, title: title || undefined, episode: i + 1, show: { title: `${title}!` }, review: title || undefined }));
    const [films, generic] = exportItems([...items, ...tv]).files;
    expect(records(films.csv).map((r) => [r.Title, r.Review])).to.deep.equal(items.map((i) => [i.title, i.review]));
    expect(records(generic.csv).map((r) => [r.title, r.show_title, r.review])).to.deep.equal(traps.map((t) => [t, `${t}!`, t]));
  });
});
