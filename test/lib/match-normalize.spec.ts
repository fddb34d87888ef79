import { expect } from 'chai';
import { mainTitle, normalizeTitle, titleHints } from '../../lib/match/normalize';
import { diceSimilarity } from '../../lib/match/similarity';

describe('lib/match/normalize', () => {
  it('drops a leading article in English, French, Spanish, German and Italian', () => {
    expect(normalizeTitle('The Lion King')).to.equal('lion king');
    expect(normalizeTitle('Lion King')).to.equal('lion king');
    expect(normalizeTitle('A Quiet Place')).to.equal('quiet place');
    expect(normalizeTitle('Les Misérables')).to.equal('miserables');
    expect(normalizeTitle("L'Avventura")).to.equal('avventura');
    expect(normalizeTitle('El Laberinto del Fauno')).to.equal('laberinto del fauno');
    expect(normalizeTitle('Das Boot')).to.equal('boot');
    expect(normalizeTitle('Il Postino')).to.equal('postino');
  });

  it('keeps a title that is only an article, and articles after the first word', () => {
    expect(normalizeTitle('A')).to.equal('a');
    expect(normalizeTitle('Léon: The Professional')).to.equal('leon the professional');
  });

  it('folds accents and punctuation', () => {
    expect(normalizeTitle('Amélie')).to.equal('amelie');
    expect(normalizeTitle('Léon: The Professional')).to.equal(normalizeTitle('Leon - The Professional'));
    expect(normalizeTitle('Spider-Man: No Way Home')).to.equal('spider man no way home');
  });

  it('reads "&" as "and"', () => {
    expect(normalizeTitle('Fast & Furious')).to.equal(normalizeTitle('Fast and Furious'));
    expect(normalizeTitle('Law&Order')).to.equal('law and order');
  });

  it('drops a trailing year and country hint', () => {
    expect(normalizeTitle('Halloween (2018)')).to.equal('halloween');
    expect(normalizeTitle('The Office (US)')).to.equal('office');
    expect(normalizeTitle('Shameless (US) (2011)')).to.equal('shameless');
  });

  it('splits the hints off the title, as written', () => {
    expect(titleHints('The Office (US)')).to.deep.equal({ base: 'The Office', country: 'US' });
    expect(titleHints('Dune (2021)')).to.deep.equal({ base: 'Dune', year: 2021 });
    expect(titleHints('Shameless (2011) (US)')).to.deep.equal({ base: 'Shameless', year: 2011, country: 'US' });
    expect(titleHints('Skins (GB)')).to.deep.equal({ base: 'Skins', country: 'UK' });
    expect(titleHints('Inception')).to.deep.equal({ base: 'Inception' });
  });

  it('leaves text that only looks like a hint', () => {
    expect(titleHints('2001: A Space Odyssey')).to.deep.equal({ base: '2001: A Space Odyssey' });
    expect(titleHints('Blade Runner (Final Cut)')).to.deep.equal({ base: 'Blade Runner (Final Cut)' });
    expect(titleHints('Number (0042)')).to.deep.equal({ base: 'Number (0042)' });
    expect(titleHints('(2018)')).to.deep.equal({ base: '(2018)' });
  });

  it('finds the main title before a subtitle', () => {
    expect(mainTitle('Léon: The Professional')).to.equal('Léon');
    expect(mainTitle('Star Wars - A New Hope')).to.equal('Star Wars');
    expect(mainTitle('Spider-Man')).to.equal(undefined);
    expect(mainTitle('Inception')).to.equal(undefined);
  });
});

describe('lib/match/similarity (Dice on bigrams)', () => {
  it('is 1 for the same text and 0 for nothing in common', () => {
    expect(diceSimilarity('inception', 'inception')).to.equal(1);
    expect(diceSimilarity('abc', 'xyz')).to.equal(0);
    expect(diceSimilarity('a', 'b')).to.equal(0);
  });

  it('counts shared bigrams: night/nacht share only "ht"', () => {
    expect(diceSimilarity('night', 'nacht')).to.equal(0.25);
  });

  it('counts repeated bigrams once each (a multiset)', () => {
    expect(diceSimilarity('aaaa', 'aa')).to.equal(0.5);
  });

  it('ignores spaces, so split and joined spellings meet', () => {
    expect(diceSimilarity('spider man', 'spiderman')).to.equal(1);
  });

  it('ranks a one-letter typo far above another title', () => {
    expect(diceSimilarity('star wars', 'star warz')).to.be.above(0.8);
    expect(diceSimilarity('batman returns', 'batman begins')).to.be.below(0.6);
  });
});
