import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvField, csvRecord } from '../../lib/exporters/csv';

describe('lib/exporters/csv (RFC 4180 writing)', () => {
  it('leaves plain fields alone and quotes comma, quote, CR and LF, doubling quotes', () => {
    expect(csvField('Inception')).to.equal('Inception');
    expect(csvField('Amélie')).to.equal('Amélie');
    expect(csvField('')).to.equal('');
    expect(csvField('Crouching Tiger, Hidden Dragon')).to.equal('"Crouching Tiger, Hidden Dragon"');
    expect(csvField('Still "great".')).to.equal('"Still ""great""."');
    expect(csvField('line 1\nline 2')).to.equal('"line 1\nline 2"');
    expect(csvField('line 1\r\nline 2')).to.equal('"line 1\r\nline 2"');
    expect(csvField('a\rb')).to.equal('"a\rb"');
    expect(csvField('"')).to.equal('""""');
  });

  it('quotes edge whitespace so trimming readers keep it', () => {
    expect(csvField(' leading')).to.equal('" leading"');
    expect(csvField('trailing\t')).to.equal('"trailing\t"');
    expect(csvField('in side')).to.equal('in side');
  });

  it('ends every record in CRLF', () => {
    expect(csvRecord(['a', 'b,c', ''])).to.equal('a,"b,c",\r\n');
  });

  it('any fields survive a standard parser (property)', () => {
    const nasty = fc.constantFrom(',', '"', '\r', '\n', '\r\n', ' ', '\t', 'é', '·', '–', '😀', '\u2028', 'a', 'Z', '=');
    const field = fc.oneof(fc.string({ unit: nasty, maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const width = rows[0].length;
        const table = rows.map((row) => [...row, ...Array<string>(width).fill('')].slice(0, width));
        const text = table.map(csvRecord).join('');
        expect(parse(text, { relax_quotes: false })).to.deep.equal(table);
      }),
      { numRuns: 500 },
    );
  });
});
