import { expect } from 'chai';
import { describeProblem, validateMediaItems } from '../../lib/schema/validate';

const MOVIE = {
  type: 'movie',
  title: 'Inception',
  year: 2010,
  ids: { imdb: 'tt1375666', tmdb: 27205, trakt: 16662, slug: 'inception-2010', simkl: 5 },
  watchedAt: '2024-01-15T20:41:00.000Z',
  rating: 9,
  rewatch: false,
  source: { kind: 'tautulli', ref: '5312', user: 'alice' },
};

const EPISODE = {
  type: 'episode',
  title: 'The Red Woman',
  season: 6,
  episode: 1,
  show: { title: 'Game of Thrones', year: 2011, ids: { tvdb: 121361, imdb: 'tt0944947', tmdb: 1399 } },
  ids: { tvdb: 5600000 },
  watchedAt: '2024-06-02T18:45:00.000Z',
  source: { kind: 'tautulli', ref: '5200', user: 'alice' },
};

function reasonsOf(payload: unknown): string[] {
  return validateMediaItems(payload).invalid.map((p) => p.reason);
}

describe('lib/schema/validate', () => {
  describe('valid items', () => {
    it('accepts the flow-contract movie example as a single item', () => {
      const result = validateMediaItems(MOVIE);
      expect(result.invalid).to.deep.equal([]);
      expect(result.valid).to.deep.equal([MOVIE]);
    });

    it('accepts the flow-contract episode example', () => {
      const result = validateMediaItems([EPISODE]);
      expect(result.invalid).to.deep.equal([]);
      expect(result.valid).to.deep.equal([EPISODE]);
    });

    it('accepts a playback event and timestamps with offsets or without seconds', () => {
      const items = [
        { type: 'movie', ids: { tmdb: 27205 }, action: 'start', progress: 12.5 },
        { type: 'movie', title: 'A', watchedAt: '2024-01-15T21:41:30+01:00' },
        { type: 'movie', title: 'B', watchedAt: '2024-01-15T21:41Z' },
      ];
      expect(validateMediaItems(items).invalid).to.deep.equal([]);
      expect(describeProblem(items[0])).to.equal(undefined);
    });
  });

  describe('non-object payloads', () => {
    it('rejects a string with a clear reason', () => {
      expect(reasonsOf('Inception')).to.deep.equal(['item 1: expected a media item object, got string']);
    });

    it('rejects a number', () => {
      expect(reasonsOf(42)).to.deep.equal(['item 1: expected a media item object, got number']);
    });

    it('rejects null', () => {
      expect(reasonsOf(null)).to.deep.equal(['item 1: expected a media item object, got null']);
    });

    it('rejects an array nested inside the payload array', () => {
      const result = validateMediaItems([MOVIE, [MOVIE]]);
      expect(result.valid).to.have.length(1);
      expect(result.invalid).to.have.length(1);
      expect(result.invalid[0].index).to.equal(2);
      expect(result.invalid[0].reason).to.equal('item 2: expected a media item object, got an array');
    });

    it('an empty array has nothing valid and nothing invalid', () => {
      expect(validateMediaItems([])).to.deep.equal({ valid: [], invalid: [] });
    });
  });

  describe('field problems', () => {
    it('watchedAt "yesterday" is reported as not an ISO date', () => {
      const [reason] = reasonsOf({ ...MOVIE, watchedAt: 'yesterday' });
      expect(reason).to.contain('item 1: watchedAt "yesterday" is not an ISO date');
    });

    it('names the item position in the reason (item N)', () => {
      const result = validateMediaItems([MOVIE, MOVIE, { ...MOVIE, watchedAt: 'yesterday' }]);
      expect(result.invalid[0].reason).to.contain('item 3: watchedAt "yesterday" is not an ISO date');
    });

    it('a date without a time zone is not accepted (would be read in server local time)', () => {
      expect(reasonsOf({ ...MOVIE, watchedAt: '2024-01-15T20:41:00' })[0]).to.contain('is not an ISO date');
    });

    it('rating 11 is out of range', () => {
      expect(reasonsOf({ ...MOVIE, rating: 11 })).to.deep.equal(['item 1: rating 11 is out of range (1-10)']);
    });

    it('rating 0 is out of range', () => {
      expect(reasonsOf({ ...MOVIE, rating: 0 })).to.deep.equal(['item 1: rating 0 is out of range (1-10)']);
    });

    it('unknown type "podcast" names the allowed types', () => {
      const [reason] = reasonsOf({ type: 'podcast', title: 'x' });
      expect(reason).to.contain('type "podcast" is not one of movie, episode, show');
    });

    it('an item without a type says it needs one', () => {
      const [reason] = reasonsOf({ title: 'Inception' });
      expect(reason).to.contain('needs "type"');
    });

    it('an episode without show and season says what is missing', () => {
      const [reason] = reasonsOf({ type: 'episode', episode: 1, ids: { tvdb: 5 } });
      expect(reason).to.contain('"show"');
      expect(reason).to.contain('"season"');
      expect(reason).not.to.contain('"episode"');
    });

    it('imdb "12345" is reported as not looking like an imdb id', () => {
      const [reason] = reasonsOf({ ...MOVIE, ids: { imdb: '12345' } });
      expect(reason).to.equal('item 1: ids.imdb "12345" does not look right (expected tt followed by digits)');
    });

    it('a show imdb id is checked too', () => {
      const [reason] = reasonsOf({ ...EPISODE, show: { title: 'GoT', ids: { imdb: '0944947' } } });
      expect(reason).to.contain('show.ids.imdb "0944947" does not look right');
    });

    it('a numeric id given as a string is rejected (numbers are numbers)', () => {
      const [reason] = reasonsOf({ ...MOVIE, ids: { tmdb: '27205' } });
      expect(reason).to.contain('ids.tmdb "27205" must be integer');
    });

    it('reports every problem of one item, each once', () => {
      const [reason] = reasonsOf({ type: 'movie', rating: 11, watchedAt: 'yesterday' });
      expect(reason).to.contain('rating 11 is out of range');
      expect(reason).to.contain('watchedAt "yesterday" is not an ISO date');
      expect(reason.split('; ')).to.have.length(2);
    });
  });

  describe('mixed arrays', () => {
    it('keeps valid items in order and reports invalid ones with their 1-based index', () => {
      const bad1 = { ...MOVIE, rating: 0 };
      const bad2 = 'not an item';
      const result = validateMediaItems([MOVIE, bad1, EPISODE, bad2]);
      expect(result.valid).to.deep.equal([MOVIE, EPISODE]);
      expect(result.invalid.map((p) => p.index)).to.deep.equal([2, 4]);
      expect(result.invalid[0].item).to.equal(bad1);
      expect(result.invalid[0].reason).to.match(/^item 2: rating 0 is out of range/);
      expect(result.invalid[1].item).to.equal(bad2);
      expect(result.invalid[1].reason).to.equal('item 4: expected a media item object, got string');
    });
  });
});
