import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { idsFromGuidList, parseGuid, type ParsedGuid } from '../../lib/tautulli/guids';

const examples = readFileSync(join(__dirname, '..', 'fixtures', 'plex', 'guid_examples.txt'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** What each sample guid must give; a sample line without an entry here fails the test. */
const EXPECTED: Record<string, Partial<ParsedGuid>> = {
  'plex://movie/5d776833961905001eb92ab4': { agent: 'plex', kind: 'movie', ids: {}, needsMetadata: true },
  'plex://show/5d9c086c46115600200aa2fe': { agent: 'plex', kind: 'show', ids: {}, needsMetadata: true },
  'plex://season/602e67e61d3358002c4120f7': { agent: 'plex', kind: 'season', ids: {}, needsMetadata: true },
  'plex://episode/5d9c1276e9d5a1001f4ff2fa': { agent: 'plex', kind: 'episode', ids: {}, needsMetadata: true },
  'com.plexapp.agents.imdb://tt0110413?lang=en': { agent: 'imdb', ids: { imdb: 'tt0110413' }, needsMetadata: false },
  'com.plexapp.agents.themoviedb://278?lang=en': { agent: 'tmdb', ids: { tmdb: 278 } },
  // The trap: a TV path on the movie database agent names the SHOW (tmdb 1399 is Game of Thrones).
  'com.plexapp.agents.themoviedb://1399/6/1?lang=en': { agent: 'tmdb', ids: {}, show: { ids: { tmdb: 1399 } }, season: 6, episode: 1 },
  'com.plexapp.agents.thetvdb://121361/6/1?lang=en': { agent: 'tvdb', ids: {}, show: { ids: { tvdb: 121361 } }, season: 6, episode: 1 },
  'com.plexapp.agents.thetvdbdvdorder://121361/6/1?lang=en': { agent: 'tvdbdvd', dvdOrder: true, ids: {}, show: { ids: { tvdb: 121361 } }, season: 6, episode: 1 },
  'com.plexapp.agents.hama://anidb-17494/1/7?lang=en': { agent: 'hama', ids: {}, show: { ids: { anidb: 17494 } }, season: 1, episode: 7 },
  'com.plexapp.agents.hama://tvdb-73739/1/1': { agent: 'hama', ids: {}, show: { ids: { tvdb: 73739 } }, season: 1, episode: 1 },
  'com.plexapp.agents.hama://imdb-tt29768334?': { agent: 'hama', ids: { imdb: 'tt29768334' } },
  'com.plexapp.agents.xbmcnfo://tt0110413?lang=en': { agent: 'xbmcnfo', ids: { imdb: 'tt0110413' } },
  'com.plexapp.agents.none://0a1b2c3d4e5f?lang=xn': { agent: 'none', ids: {}, needsMetadata: false },
  'local://4711': { agent: 'local', ids: {}, needsMetadata: false },
  'imdb://tt3658014': { agent: 'imdb', ids: { imdb: 'tt3658014' } },
  'tmdb://1156503': { agent: 'tmdb', ids: { tmdb: 1156503 } },
  'tvdb://5469015': { agent: 'tvdb', ids: { tvdb: 5469015 } },
};

function expectParsed(guid: string, expected: Partial<ParsedGuid>): void {
  const parsed = parseGuid(guid);
  for (const [key, value] of Object.entries(expected)) expect((parsed as unknown as Record<string, unknown>)[key], `${guid} → ${key}`).to.deep.equal(value);
  if (!('show' in expected)) expect(parsed.show, `${guid} has no show part`).to.equal(undefined);
  if (!('dvdOrder' in expected)) expect(parsed.dvdOrder, `${guid} is not DVD order`).to.equal(undefined);
}

describe('lib/tautulli/guids parseGuid', () => {
  it('has an expectation for every sample guid (api-facts §3.5)', () => {
    expect(examples.length).to.be.greaterThan(15);
    for (const guid of examples) expect(EXPECTED, `no expectation for ${guid}`).to.have.property(guid);
  });

  for (const [guid, expected] of Object.entries(EXPECTED)) {
    it(`reads ${guid}`, () => expectParsed(guid, expected));
  }

  it('reads the other HAMA sources: tvdb2-/tvdb3-/tvdb4- are TVDB, tmdb- is TMDB', () => {
    expectParsed('com.plexapp.agents.hama://tvdb2-73739/2/5?lang=en', { agent: 'hama', ids: {}, show: { ids: { tvdb: 73739 } }, season: 2, episode: 5 });
    expectParsed('com.plexapp.agents.hama://tvdb3-73739/1/30', { show: { ids: { tvdb: 73739 } } });
    expectParsed('com.plexapp.agents.hama://tvdb4-73739/1/3', { show: { ids: { tvdb: 73739 } } });
    expectParsed('com.plexapp.agents.hama://tmdb-129?lang=en', { agent: 'hama', ids: { tmdb: 129 } });
    expectParsed('com.plexapp.agents.hama://anidb-17494?lang=en', { agent: 'hama', ids: { anidb: 17494 } });
  });

  it('reads xbmcnfotv as a TVDB show with numbers, and never guesses the database of a bare xbmcnfo number', () => {
    expectParsed('com.plexapp.agents.xbmcnfotv://121361/6/1?lang=en', { agent: 'xbmcnfo', ids: {}, show: { ids: { tvdb: 121361 } }, season: 6, episode: 1 });
    expectParsed('com.plexapp.agents.xbmcnfo://27205?lang=en', { agent: 'xbmcnfo', ids: {} });
  });

  it('reads a bare IMDb id (very old items) and legacy show / season guids', () => {
    expectParsed('tt0112253', { agent: 'imdb', ids: { imdb: 'tt0112253' }, needsMetadata: false });
    expectParsed('com.plexapp.agents.thetvdb://121361?lang=en', { agent: 'tvdb', ids: { tvdb: 121361 } });
    const season = parseGuid('com.plexapp.agents.thetvdb://121361/6?lang=en');
    expect(season).to.deep.include({ agent: 'tvdb', ids: {}, show: { ids: { tvdb: 121361 } }, season: 6 });
    expect(season.episode).to.equal(undefined);
  });

  it('strips tv.plex.agents. prefixes and drops ?lang=', () => {
    expectParsed('tv.plex.agents.none://12345', { agent: 'none', ids: {} });
    expectParsed('com.plexapp.agents.themoviedb://278?lang=de&x=1', { agent: 'tmdb', ids: { tmdb: 278 } });
  });

  it('turns garbage into agent "unknown" with no ids, never throwing', () => {
    const garbage: unknown[] = ['', 'hello', 'movie/123', '://', 'ftp://x/y', 'plex:/movie/1', null, undefined, 42, {}, [], 'com.plexapp.agents.imdb://not-an-id'];
    for (const guid of garbage) {
      const parsed = parseGuid(guid);
      expect(parsed.ids, String(guid)).to.deep.equal({});
      expect(parsed.needsMetadata).to.equal(false);
      if (guid !== 'com.plexapp.agents.imdb://not-an-id') expect(parsed.agent, String(guid)).to.equal('unknown');
    }
  });
});

describe('lib/tautulli/guids idsFromGuidList', () => {
  it('turns get_metadata guids into ids, numbers as numbers and IMDb as a string', () => {
    expect(idsFromGuidList(['imdb://tt3658014', 'tmdb://1156503', 'tvdb://5469015'])).to.deep.equal({ imdb: 'tt3658014', tmdb: 1156503, tvdb: 5469015 });
  });

  it('reads the Plex webhook form ({ id }) too, and ignores junk entries', () => {
    expect(idsFromGuidList([{ id: 'imdb://tt0944947' }, { id: 'tvdb://121361' }, 'plex://show/5d9c086c46115600200aa2fe', 7, null, 'tmdb://x'])).to.deep.equal({
      imdb: 'tt0944947',
      tvdb: 121361,
    });
    expect(idsFromGuidList(undefined)).to.deep.equal({});
    expect(idsFromGuidList('imdb://tt1')).to.deep.equal({});
  });
});
