import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { Matcher, type MatchOptions, type MatchResult } from '../../lib/match/matcher';
import type { Candidate, MatchProvider } from '../../lib/provider';
import type { IdKey, MediaItem } from '../../lib/schema/types';
import { IdCache } from '../../lib/store/id-cache';
import { rejectionOf, sleep, useTempState } from './helpers';

type Kind = 'movie' | 'show' | 'episode';

/** A tracker that answers from tables and records every request it gets. */
class FakeProvider implements MatchProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';
  readonly calls: string[] = [];
  failNext?: Error;

  constructor(
    private readonly searches: Record<string, Candidate[]> = {},
    private readonly lookups: Record<string, Candidate[]> = {},
  ) {}

  acceptedIds(type: Kind): readonly IdKey[] {
    return type === 'movie' ? ['trakt', 'slug', 'imdb', 'tmdb'] : type === 'show' ? ['trakt', 'slug', 'imdb', 'tmdb', 'tvdb'] : ['trakt', 'imdb', 'tmdb', 'tvdb'];
  }

  lookupIds(): readonly IdKey[] {
    return ['trakt', 'imdb', 'tmdb', 'tvdb'];
  }

  async lookupId(idType: IdKey, id: string | number, type: Kind): Promise<Candidate[]> {
    this.calls.push(`lookup ${idType} ${id} type=${type}`);
    await sleep(1);
    return this.lookups[`${idType}:${id}`] ?? [];
  }

  async search(type: 'movie' | 'show', query: string, year?: number): Promise<Candidate[]> {
    this.calls.push(`search ${type} "${query}"${year ? ` ${year}` : ''}`);
    await sleep(1);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    return this.searches[query] ?? [];
  }
}

const movie = (title: string, year: number, trakt: number): Candidate => ({ type: 'movie', title, year, ids: { trakt, slug: `${title.toLowerCase().replace(/\W+/g, '-')}-${year}` } });
const show = (title: string, year: number, trakt: number): Candidate => ({ type: 'show', title, year, ids: { trakt, tvdb: trakt * 10 } });
const episodeOf = (showRef: MediaItem['show'], season = 1, episode = 1): MediaItem => ({ type: 'episode', season, episode, show: showRef, watchedAt: '2024-01-15T20:41:00.000Z' });

const OFFICE = [show('The Office', 2001, 2001), show('The Office', 2005, 2005)];

describe('lib/match/matcher (Matcher)', () => {
  const state = useTempState({ storeIn: 'clawarr' });

  /** Caches read from the state dir each time, like after a restart. */
  const caches = (missTtlMs?: number) => ({ movie: new IdCache(state.store, missTtlMs, 'id-cache.test.movie.json'), show: new IdCache(state.store, missTtlMs, 'id-cache.test.show.json') });
  const matcherWith = (provider: MatchProvider, options?: MatchOptions, missTtlMs?: number) => new Matcher(provider, caches(missTtlMs), options);
  const unmatched = (result: MatchResult) => {
    if (result.matched) throw new Error(`expected no match, got ${JSON.stringify(result.item)}`);
    return result;
  };

  describe('items the tracker can already sync', () => {
    it('passes a movie with an imdb id through unchanged, without a request', async () => {
      const provider = new FakeProvider();
      const matcher = matcherWith(provider);
      const item: MediaItem = { type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666', plex: 'plex://movie/1' } };
      const result = await matcher.match(item);
      expect(result).to.deep.equal({ matched: true, item, via: 'ids' });
      expect(provider.calls).to.deep.equal([]);
      expect(matcher.stats().passThrough).to.equal(1);
    });

    it('passes an episode through on its show tvdb id plus numbers, and on its own ids', async () => {
      const provider = new FakeProvider();
      const matcher = matcherWith(provider);
      const byShow = episodeOf({ title: 'Breaking Bad', ids: { tvdb: 81189 } }, 1, 2);
      const byOwn: MediaItem = { type: 'episode', ids: { tvdb: 349232 } };
      expect(await matcher.match(byShow)).to.deep.equal({ matched: true, item: byShow, via: 'ids' });
      expect(await matcher.match(byOwn)).to.deep.equal({ matched: true, item: byOwn, via: 'ids' });
      expect(provider.calls).to.deep.equal([]);
    });

    it('does not take a movie tvdb id as enough (Trakt matches movies on trakt/slug/imdb/tmdb only)', async () => {
      const provider = new FakeProvider({}, { 'tvdb:1234': [movie('Dune', 2021, 287071)] });
      const result = await matcherWith(provider).match({ type: 'movie', title: 'Dune', year: 2021, ids: { tvdb: 1234 } });
      expect(result).to.deep.include({ matched: true, via: 'lookup' });
      expect(provider.calls).to.deep.equal(['lookup tvdb 1234 type=movie']);
    });
  });

  describe('overrides', () => {
    it('take the user\'s ids before any search, for the same title in another spelling', async () => {
      const provider = new FakeProvider({ Dune: [movie('Dune', 2021, 999)] });
      const matcher = matcherWith(provider, { overrides: [{ type: 'movie', title: 'DUNE', year: 2021, ids: { trakt: 287071 } }] });
      const result = await matcher.match({ type: 'movie', title: 'Dune', year: 2021, watchedAt: '2024-01-15T20:41:00.000Z' });
      expect(result).to.deep.equal({ matched: true, via: 'override', item: { type: 'movie', title: 'Dune', year: 2021, ids: { trakt: 287071 }, watchedAt: '2024-01-15T20:41:00.000Z' } });
      expect(provider.calls).to.deep.equal([]);
    });

    it('apply only to their type, year and country hint', async () => {
      const provider = new FakeProvider({ 'The Office': OFFICE, Dune: [movie('Dune', 1984, 84)] });
      const matcher = matcherWith(provider, {
        overrides: [
          { type: 'show', title: 'The Office (UK)', ids: { trakt: 2001 } },
          { type: 'show', title: 'Dune', year: 1984, ids: { trakt: 1 } },
        ],
      });
      expect(await matcher.match({ type: 'movie', title: 'Dune', year: 1984 })).to.deep.include({ via: 'search' });
      expect(await matcher.match(episodeOf({ title: 'The Office (UK)' }))).to.deep.include({ via: 'override' });
      expect(unmatched(await matcher.match(episodeOf({ title: 'The Office (US)' }))).reason).to.match(/^ambiguous/);
    });
  });

  describe('the ID cache', () => {
    it('searches once for 50 plays of one movie, and not at all after a restart', async () => {
      const provider = new FakeProvider({ Inception: [movie('Inception', 2010, 16662)] });
      const plays: MediaItem[] = Array.from({ length: 50 }, (_, i) => ({ type: 'movie', title: 'Inception', year: 2010, watchedAt: new Date(Date.UTC(2024, 0, 1 + i)).toISOString() }));
      const progress: number[] = [];
      const first = await matcherWith(provider).matchAll(plays, (done) => progress.push(done));
      expect(provider.calls).to.deep.equal(['search movie "Inception" 2010']);
      expect(first.every((r) => r.matched && r.item.ids?.trakt === 16662)).to.equal(true);
      expect(first.map((r) => r.item.watchedAt)).to.deep.equal(plays.map((p) => p.watchedAt));
      expect(progress).to.have.length(50);
      // matchAll saved the cache, in its own file per type.
      expect(readdirSync(state.store.dir).sort()).to.deep.equal(['id-cache.test.movie.json']);

      const restarted = matcherWith(provider);
      const second = await restarted.matchAll(plays);
      expect(provider.calls).to.have.length(1);
      expect(second.every((r) => r.matched && r.via === 'cache')).to.equal(true);
      expect(restarted.stats()).to.deep.include({ searches: 0, cacheHits: 50 });
    });

    it('keeps movies and shows apart (the same title can be both)', async () => {
      const provider = new FakeProvider({ Fargo: [movie('Fargo', 1996, 1996), show('Fargo', 2014, 2014)] });
      const matcher = matcherWith(provider);
      const film = await matcher.match({ type: 'movie', title: 'Fargo' });
      const episode = await matcher.match(episodeOf({ title: 'Fargo' }));
      expect(film.item.ids).to.deep.equal({ trakt: 1996, slug: 'fargo-1996' });
      expect(episode.item.show?.ids).to.deep.equal({ trakt: 2014, tvdb: 20140 });
      expect(provider.calls).to.deep.equal(['search movie "Fargo"', 'search show "Fargo"']);
    });

    it('remembers a miss, so the next run does not search and says until when', async () => {
      const provider = new FakeProvider();
      const item: MediaItem = { type: 'movie', title: 'Nothing Like It', year: 2031 };
      const first = unmatched((await matcherWith(provider).matchAll([item, { ...item }]))[1]);
      expect(first.reason).to.equal('Trakt found no movie for "Nothing Like It" (2031)');

      const again = matcherWith(provider);
      const second = unmatched(await again.match(item));
      expect(provider.calls).to.have.length(1);
      const until = /remembered until (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(second.reason);
      expect(second.reason).to.match(/^"Nothing Like It" \(2031\) was not found earlier/);
      expect(Date.parse(`${until?.[1].replace(' ', 'T')}Z`)).to.be.closeTo(Date.now() + 7 * 24 * 3600 * 1000, 2 * 60 * 1000);
      expect(again.stats()).to.deep.include({ searches: 0, misses: 1 });
    });

    it('searches again once the miss has expired', async () => {
      const provider = new FakeProvider();
      const item: MediaItem = { type: 'movie', title: 'Nothing Like It', year: 2031 };
      await matcherWith(provider, {}, 30).matchAll([item]);
      await sleep(50);
      await matcherWith(provider, {}, 30).matchAll([item]);
      expect(provider.calls).to.deep.equal(['search movie "Nothing Like It" 2031', 'search movie "Nothing Like It" 2031']);
    });

    it('does not remember a failed request as a miss', async () => {
      const provider = new FakeProvider({ Inception: [movie('Inception', 2010, 16662)] });
      provider.failNext = new Error('Trakt is having trouble (503)');
      const matcher = matcherWith(provider);
      const item: MediaItem = { type: 'movie', title: 'Inception', year: 2010 };
      expect((await rejectionOf(matcher.match(item))).message).to.contain('503');
      expect(await matcher.match(item)).to.deep.include({ matched: true, via: 'search' });
    });
  });

  describe('id look-ups and searches', () => {
    it('looks a movie with only a tvdb id up as a movie, once, keeping its other ids', async () => {
      const provider = new FakeProvider({}, { 'tvdb:1234': [show('Wrong Type', 2021, 5), movie('Dune', 2021, 287071)] });
      const matcher = matcherWith(provider);
      const result = await matcher.match({ type: 'movie', ids: { tvdb: 1234, plex: 'plex://movie/9' } });
      expect(result).to.deep.equal({ matched: true, via: 'lookup', item: { type: 'movie', ids: { tvdb: 1234, plex: 'plex://movie/9', trakt: 287071, slug: 'dune-2021' } } });
      await matcher.match({ type: 'movie', ids: { tvdb: 1234 } });
      expect(provider.calls).to.deep.equal(['lookup tvdb 1234 type=movie']);
    });

    it('searches the title when the look-up finds nothing', async () => {
      const provider = new FakeProvider({ Dune: [movie('Dune', 2021, 287071)] });
      const result = await matcherWith(provider).match({ type: 'movie', title: 'Dune', year: 2021, ids: { tvdb: 1234 } });
      expect(result).to.deep.include({ matched: true, via: 'search' });
      expect(provider.calls).to.deep.equal(['lookup tvdb 1234 type=movie', 'search movie "Dune" 2021']);
    });

    it('searches an anime show by title when it carries only an anidb id', async () => {
      const provider = new FakeProvider({ "Frieren: Beyond Journey's End": [show("Frieren: Beyond Journey's End", 2023, 186000)] });
      const item = episodeOf({ title: "Frieren: Beyond Journey's End", ids: { anidb: 17617 } }, 1, 5);
      const result = await matcherWith(provider).match(item);
      expect(provider.calls).to.deep.equal([`search show "Frieren: Beyond Journey's End"`]);
      expect(result).to.deep.include({ matched: true, via: 'search' });
      expect(result.item).to.deep.include({ season: 1, episode: 5, watchedAt: item.watchedAt });
      expect(result.item.show?.ids).to.deep.equal({ anidb: 17617, trakt: 186000, tvdb: 1860000 });
    });

    it('takes the year from a "(2021)" suffix and searches without it', async () => {
      const provider = new FakeProvider({ Dune: [movie('Dune', 1984, 84), movie('Dune', 2021, 21)] });
      const result = await matcherWith(provider).match({ type: 'movie', title: 'Dune (2021)' });
      expect(provider.calls).to.deep.equal(['search movie "Dune" 2021']);
      expect(result.item.ids?.trakt).to.equal(21);
    });

    it('remembers an id Trakt does not know, when there is no title to search', async () => {
      const provider = new FakeProvider();
      const item: MediaItem = { type: 'movie', ids: { tvdb: 1234 } };
      const first = unmatched(await matcherWith(provider).matchAll([item]).then((r) => r[0]));
      const second = unmatched(await matcherWith(provider).match(item));
      expect(first.reason).to.equal('no title to search and Trakt knows none of its ids as a movie');
      expect(second.reason).to.match(/^tvdb:1234 was not found earlier \(remembered until /);
      expect(provider.calls).to.deep.equal(['lookup tvdb 1234 type=movie']);
    });

    it('says "no title" when an item has nothing to search or look up', async () => {
      const provider = new FakeProvider();
      const result = unmatched(await matcherWith(provider).match({ type: 'movie', ids: { plex: 'plex://movie/1' } }));
      expect(result.reason).to.equal('no title to search and no id Trakt can look up');
      expect(provider.calls).to.deep.equal([]);
    });
  });

  describe('shows and episodes', () => {
    it('leaves "The Office (US)" without a year unmatched as ambiguous, with both shows', async () => {
      const provider = new FakeProvider({ 'The Office': OFFICE });
      const result = unmatched(await matcherWith(provider).match(episodeOf({ title: 'The Office (US)' }, 2, 1)));
      expect(provider.calls).to.deep.equal(['search show "The Office"']);
      expect(result.reason).to.equal('ambiguous: "The Office" matches The Office (2001) and The Office (2005); add the year or an override');
      expect(result.candidates.map((c) => [c.title, c.year, c.score])).to.deep.equal([
        ['The Office', 2001, 0.9],
        ['The Office', 2005, 0.9],
      ]);
      expect(result.item.show?.ids).to.equal(undefined);
    });

    it('tells "The Office (US)" from "(UK)" by the country Trakt gives, without a year', async () => {
      const withCountry = [{ ...OFFICE[0], country: 'gb' }, { ...OFFICE[1], country: 'us' }];
      const matcher = matcherWith(new FakeProvider({ 'The Office': withCountry }));
      const us = await matcher.match(episodeOf({ title: 'The Office (US)' }, 2, 1));
      const uk = await matcher.match(episodeOf({ title: 'The Office (UK)' }, 1, 1));
      expect(us.matched && us.item.show?.ids?.trakt).to.equal(2005);
      expect(uk.matched && uk.item.show?.ids?.trakt).to.equal(2001);
    });

    it('does not remember an ambiguous answer as "not found": the next item searches again', async () => {
      const provider = new FakeProvider({ 'The Office': OFFICE });
      const matcher = matcherWith(provider);
      await matcher.match(episodeOf({ title: 'The Office' }, 2, 1));
      const second = unmatched(await matcher.match(episodeOf({ title: 'The Office' }, 2, 2)));
      expect(second.reason).to.match(/^ambiguous/);
      expect(provider.calls).to.have.length(2);
    });

    it('matches "The Office (US)" of 2005 to the 2005 show and keeps the numbers', async () => {
      const provider = new FakeProvider({ 'The Office': OFFICE });
      const result = await matcherWith(provider).match(episodeOf({ title: 'The Office (US)', year: 2005 }, 2, 1));
      expect(provider.calls).to.deep.equal(['search show "The Office" 2005']);
      expect(result).to.deep.include({ matched: true, via: 'search' });
      expect(result.item).to.deep.include({ season: 2, episode: 1 });
      expect(result.item.show).to.deep.equal({ title: 'The Office (US)', year: 2005, ids: { trakt: 2005, tvdb: 20050 } });
    });

    it('resolves a show once for concurrent episodes', async () => {
      const provider = new FakeProvider({ 'Breaking Bad': [show('Breaking Bad', 2008, 1)] });
      const matcher = matcherWith(provider);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => matcher.match(episodeOf({ title: 'Breaking Bad', year: 2008 }, 1, i + 1))));
      expect(provider.calls).to.deep.equal(['search show "Breaking Bad" 2008']);
      expect(results.map((r) => r.item.episode)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(results.every((r) => r.matched && r.item.show?.ids?.trakt === 1)).to.equal(true);
      expect(matcher.stats()).to.deep.include({ searches: 1, cacheHits: 9 });
    });

    it('never gives an episode a movie, even when the tracker offers one', async () => {
      const provider = new FakeProvider({ Fargo: [movie('Fargo', 1996, 1996)] });
      const result = unmatched(await matcherWith(provider).match(episodeOf({ title: 'Fargo', year: 1996 })));
      expect(provider.calls).to.deep.equal(['search show "Fargo" 1996']);
      expect(result.reason).to.equal('Trakt found no show for "Fargo" (1996)');
      expect(result.item.show?.ids).to.equal(undefined);
    });

    it('leaves an episode without numbers or ids unmatched, without a request', async () => {
      const provider = new FakeProvider();
      const matcher = matcherWith(provider);
      const noIds = unmatched(await matcher.match({ type: 'episode', show: { title: 'Breaking Bad' } }));
      const showIdsOnly = unmatched(await matcher.match({ type: 'episode', season: 1, show: { title: 'Breaking Bad', ids: { tvdb: 81189 } } }));
      expect(noIds.reason).to.equal('the episode has no ids and no season and episode numbers');
      expect(showIdsOnly.reason).to.equal(noIds.reason);
      expect(provider.calls).to.deep.equal([]);
    });
  });

  it('leaves a weak match unmatched, with the candidates and their scores', async () => {
    const provider = new FakeProvider({ 'Dune Messiah': [movie('Dune', 2021, 21), movie('Dune: Part Two', 2024, 24)] });
    const result = unmatched(await matcherWith(provider).match({ type: 'movie', title: 'Dune Messiah', year: 2026 }));
    expect(result.reason).to.equal('no candidate above 0.8 for "Dune Messiah" (2026)');
    expect(result.candidates.map((c) => c.ids.trakt)).to.have.members([21, 24]);
    expect(result.candidates.every((c) => c.score < 0.8)).to.equal(true);
    expect(result.item).to.deep.equal({ type: 'movie', title: 'Dune Messiah', year: 2026 });
  });
});
