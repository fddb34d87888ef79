import { expect } from 'chai';
import { decide } from '../../lib/match/decide';
import { scoreCandidate } from '../../lib/match/score';
import type { Candidate } from '../../lib/provider';

const movie = (title: string, year: number | undefined, trakt: number, aliases?: string[]): Candidate => ({ type: 'movie', title, year, ids: { trakt }, ...(aliases ? { aliases } : {}) });
const RULES = { threshold: 0.8, margin: 0.1, label: 'Trakt' };

describe('lib/match/score and decide', () => {
  it('ranks an exact title above an exact alias, and an alias above a near spelling', () => {
    const query = { title: 'Star Wars', year: 1977 };
    const exact = scoreCandidate(query, movie('Star Wars', 1977, 1));
    const alias = scoreCandidate(query, movie('Star Wars: Episode IV - A New Hope', 1977, 2, ['Star Wars']));
    const fuzzy = scoreCandidate(query, movie('Star Warz', 1977, 3));
    expect(exact).to.equal(1);
    expect(alias).to.equal(0.95);
    expect(fuzzy).to.be.below(alias).and.above(0.5);
  });

  it('matches Star Wars (1977) to A New Hope by its alias, not to a later episode', () => {
    const decision = decide({ title: 'Star Wars', year: 1977 }, 'movie', [movie('Star Wars: The Last Jedi', 2017, 9), movie('Star Wars: Episode IV - A New Hope', 1977, 11, ['Star Wars'])], RULES);
    expect(decision).to.have.property('best').that.include({ title: 'Star Wars: Episode IV - A New Hope', score: 0.95 });
  });

  it('ignores case, accents, punctuation and a leading article', () => {
    expect(scoreCandidate({ title: 'Amelie', year: 2001 }, movie('Amélie', 2001, 1))).to.equal(1);
    expect(scoreCandidate({ title: 'Lion King', year: 1994 }, movie('The Lion King', 1994, 1))).to.equal(1);
    expect(scoreCandidate({ title: 'Leon - The Professional', year: 1994 }, movie('Léon: The Professional', 1994, 1))).to.equal(1);
  });

  it('takes the title before the subtitle as a good but not exact match', () => {
    const score = scoreCandidate({ title: 'Léon', year: 1994 }, movie('Léon: The Professional', 1994, 1));
    expect(score).to.equal(0.85);
  });

  it('picks the remake of the year asked for, clearly', () => {
    const decision = decide({ title: 'The Lion King', year: 2019 }, 'movie', [movie('The Lion King', 1994, 94), movie('The Lion King', 2019, 19)], RULES);
    expect(decision).to.have.property('best').that.include({ year: 2019, score: 1 });
    expect(scoreCandidate({ title: 'The Lion King', year: 2019 }, movie('The Lion King', 1994, 94))).to.equal(0.5);
  });

  it('still matches a year off by one (release vs premiere)', () => {
    const decision = decide({ title: 'The Lion King', year: 2020 }, 'movie', [movie('The Lion King', 2019, 19)], RULES);
    expect(decision).to.have.property('best').that.include({ year: 2019, score: 0.95 });
  });

  it('reports two remakes as ambiguous when the year is unknown, listing both', () => {
    const decision = decide({ title: 'The Lion King' }, 'movie', [movie('The Lion King', 1994, 94), movie('The Lion King', 2019, 19)], RULES);
    expect(decision).to.have.property('reason', 'ambiguous: "The Lion King" matches The Lion King (1994) and The Lion King (2019); add the year or an override');
    if (!('reason' in decision)) throw new Error('expected no match');
    expect(decision.candidates.map((c) => [c.year, c.score])).to.deep.equal([
      [1994, 0.9],
      [2019, 0.9],
    ]);
  });

  it('leaves a weak best candidate unmatched and says what was asked', () => {
    const decision = decide({ title: 'Dune', year: 2021 }, 'movie', [movie('Dune: Part Two', 2024, 2), movie('Dunkirk', 2017, 3)], RULES);
    expect(decision).to.have.property('reason', 'no candidate above 0.8 for "Dune" (2021)');
    if (!('reason' in decision)) throw new Error('expected no match');
    expect(decision.candidates).to.have.length(2);
    expect(decision.candidates[0].score).to.be.below(0.8);
  });

  it('says when the tracker found nothing at all', () => {
    expect(decide({ title: 'Nothing Here' }, 'show', [], RULES)).to.deep.equal({ reason: 'Trakt found no show for "Nothing Here"', candidates: [] });
  });

  it('halves a candidate that names another country', () => {
    const show = (title: string): Candidate => ({ type: 'show', title, year: 2011, ids: { trakt: 1 } });
    expect(scoreCandidate({ title: 'Shameless', year: 2011, country: 'US' }, show('Shameless (US)'))).to.equal(1);
    expect(scoreCandidate({ title: 'Shameless', year: 2011, country: 'US' }, show('Shameless (UK)'))).to.equal(0.5);
  });
});
