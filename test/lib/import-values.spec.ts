import { expect } from 'chai';
import fc from 'fast-check';
import { parseDateTime, parseDay, parseEpochSeconds, parseStars, parseTags, parseYear } from '../../lib/importers/values';

describe('lib/importers/values', () => {
  it('parseDay: YYYY-MM-DD at midnight UTC; empty and 0000-00-00 are none; impossible dates refused', () => {
    expect(parseDay('Date', '2024-02-29')).to.deep.equal({ value: '2024-02-29T00:00:00.000Z' });
    expect(parseDay('Date', ' ')).to.deep.equal({ value: undefined });
    expect(parseDay('Date', '0000-00-00')).to.deep.equal({ value: undefined });
    expect(parseDay('Date', '2023-02-29')).to.deep.equal({ error: 'Date "2023-02-29" is not a date (YYYY-MM-DD)' });
    expect(parseDay('Date', '2023-1-2').error).to.be.a('string');
  });

  it('parseDateTime: TV Time "YYYY-MM-DD HH:MM:SS" as UTC, also T, no seconds, a bare day or an explicit zone', () => {
    expect(parseDateTime('t', '2018-06-14 12:41:03').value).to.equal('2018-06-14T12:41:03.000Z');
    expect(parseDateTime('t', '2018-06-14T12:41').value).to.equal('2018-06-14T12:41:00.000Z');
    expect(parseDateTime('t', '2018-06-14').value).to.equal('2018-06-14T00:00:00.000Z');
    expect(parseDateTime('t', '2018-06-14T12:41:03+02:00').value).to.equal('2018-06-14T10:41:03.000Z');
    expect(parseDateTime('t', '2018-06-14 12:41:03-0130').value).to.equal('2018-06-14T14:11:03.000Z');
    expect(parseDateTime('t', '2018-06-14 24:00:00').error).to.equal('t "2018-06-14 24:00:00" is not a real date and time');
    expect(parseDateTime('t', 'yesterday').error).to.equal('t "yesterday" is not a date and time (YYYY-MM-DD HH:MM:SS)');
  });

  it('parseEpochSeconds: Unix seconds, 0 = none', () => {
    expect(parseEpochSeconds('w', '1616481927').value).to.equal('2021-03-23T06:45:27.000Z');
    expect(parseEpochSeconds('w', '0').value).to.equal(undefined);
    expect(parseEpochSeconds('w', '-5').error).to.be.a('string');
  });

  it('parseStars: round(stars × 2) for every half star', () => {
    const table = ['0.5', '1', '1.5', '2', '2.5', '3', '3.5', '4', '4.5', '5'].map((s) => parseStars('Rating', s).value);
    expect(table).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parseStars('Rating', '').value).to.equal(undefined);
    expect(parseStars('Rating', 'four').error).to.equal('Rating "four" is not a number of stars (0.5 to 5)');
  });

  it('parseYear: a year, the first of a range, none when empty', () => {
    expect(parseYear('Year', '2013–2023').value).to.equal(2013);
    expect(parseYear('Year', '2013-2023').value).to.equal(2013);
    expect(parseYear('Year', '2024–').value).to.equal(2024);
    expect(parseYear('Year', '').value).to.equal(undefined);
    expect(parseYear('Year', 'n/a').error).to.equal('Year "n/a" is not a year');
  });

  it('parseTags: split on commas, trimmed, empties dropped', () => {
    expect(parseTags(' wuxia,  rewatchable ,,')).to.deep.equal(['wuxia', 'rewatchable']);
    expect(parseTags(' ')).to.equal(undefined);
  });

  it('parseDay: a day read again (remembered) gives the same answer, whatever the column or padding', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(parseDay('Date', '2024-02-29')).to.deep.equal({ value: '2024-02-29T00:00:00.000Z' });
      expect(parseDay('Watched Date', ' 2024-02-29 ')).to.deep.equal({ value: '2024-02-29T00:00:00.000Z' });
      expect(parseDay('Watched Date', '2023-02-29')).to.deep.equal({ error: 'Watched Date "2023-02-29" is not a date (YYYY-MM-DD)' });
      expect(parseDay('Date', '0099-01-01').error).to.be.a('string');
    }
  });

  it('parseTags: the same as splitting on commas, trimming and dropping empties', () => {
    const unit = fc.constantFrom('a', 'b', ' ', ',', '\t', '\n', 'é', '\u00a0');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 20 }), (raw) => {
        const tags = raw.split(',').map((t) => t.trim()).filter((t) => t !== '');
        expect(parseTags(raw)).to.deep.equal(tags.length > 0 ? tags : undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
