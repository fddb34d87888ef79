// Tests of the fake Trakt search: id lookups (with the cross-type collisions Trakt warns about) and
// the text search traps a matcher must get through (accents, remakes, same-name shows).
import { expect } from 'chai';
import { catalogFor, startTraktSandbox, type TraktSandbox } from './sandbox';

const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };

interface Result {
  type: string;
  score: number | null;
  movie?: { title: string; year: number; ids: Record<string, unknown> };
  show?: { title: string; year: number; ids: Record<string, unknown> };
  episode?: { season: number; number: number; title: string; ids: Record<string, unknown> };
}

describe('trakt sandbox search', () => {
  let sb: TraktSandbox;
  before(async () => {
    sb = await startTraktSandbox({ timeScale: 0.01, catalog: SMALL });
  });
  after(async () => sb?.close());

  const get = (path: string): Promise<Response> =>
    fetch(sb.url + path, { headers: { 'User-Agent': 'sandbox-spec/1.0', 'trakt-api-version': '2', 'trakt-api-key': 'sandbox-client-id' } });
  const results = async (path: string): Promise<Result[]> => {
    const res = await get(path);
    expect(res.status, path).to.equal(200);
    return (await res.json()) as Result[];
  };
  const titles = (rs: Result[]): string[] => rs.map((r) => `${(r.movie ?? r.show)?.title} ${(r.movie ?? r.show)?.year}`);

  describe('id lookup', () => {
    it('finds a movie by imdb id in Trakt shape with a null score', async () => {
      expect(await results('/search/imdb/tt1375666?type=movie')).to.deep.equal([
        { type: 'movie', score: null, movie: { title: 'Inception', year: 2010, ids: { trakt: 9000001, slug: 'inception-2010', imdb: 'tt1375666', tmdb: 27205 } } },
      ]);
    });

    it('returns every kind sharing a numeric id when no type is sent', async () => {
      const all = await results('/search/tmdb/27205');
      expect(all.map((r) => r.type)).to.deep.equal(['movie', 'show']);
      expect(all[1].show).to.include({ title: 'Shameless', year: 2004 });
      expect((await results('/search/tmdb/27205?type=movie')).map((r) => r.type)).to.deep.equal(['movie']);
      expect((await results('/search/tmdb/27205?type=show')).map((r) => r.type)).to.deep.equal(['show']);
      expect((await results('/search/tmdb/27205?type=movie,show')).length).to.equal(2);
    });

    it('finds an episode by tvdb id together with its show', async () => {
      const show = catalogFor({ catalog: SMALL }).shows.find((s) => s.trakt === 9100003);
      const pilot = show?.seasons[0].episodes[0];
      const [hit, ...rest] = await results(`/search/tvdb/${pilot?.ids.tvdb}?type=episode`);
      expect(rest).to.have.length(0);
      expect(hit.episode).to.deep.include({ season: 1, number: 1, title: 'Pilot' });
      expect(hit.show).to.deep.include({ title: 'The Office', year: 2005 });
      expect(hit.show?.ids).to.include({ tvdb: 73244, tmdb: 2316 });
    });

    it('answers [] for unknown ids and 404 for unknown id types', async () => {
      expect(await results('/search/imdb/tt0000001')).to.deep.equal([]);
      expect((await get('/search/slug/inception-2010')).status).to.equal(404);
    });
  });

  describe('text search', () => {
    it('matches without accents and through aliases, best first', async () => {
      const amelie = await results('/search/movie?query=Amelie');
      expect(titles(amelie)[0]).to.equal('Amélie 2001');
      expect(amelie[0].score).to.be.a('number');
      expect(titles(await results(`/search/movie?query=${encodeURIComponent('fabuleux destin')}`))).to.deep.equal(['Amélie 2001']);
      expect(await results(`/search/movie?query=${encodeURIComponent('fabuleux destin')}&fields=title`)).to.deep.equal([]);
      const leon = await results(`/search/movie?query=${encodeURIComponent('Léon\\: The Professional')}`);
      expect(titles(leon)[0]).to.equal('Léon: The Professional 1994');
    });

    it('separates remakes with the years filter (a year or a range)', async () => {
      const q = `/search/movie?query=${encodeURIComponent('The Lion King')}`;
      expect(titles(await results(q))).to.deep.equal(['The Lion King 2019', 'The Lion King 1994']);
      expect(titles(await results(`${q}&years=1994`))).to.deep.equal(['The Lion King 1994']);
      expect(titles(await results(`${q}&years=2019`))).to.deep.equal(['The Lion King 2019']);
      expect(titles(await results(`/search/movie?query=Dune&years=1980-1990`))).to.deep.equal(['Dune 1984']);
    });

    it('returns both shows called "The Office" and ranks the one named by a country suffix first', async () => {
      const both = await results(`/search/show?query=${encodeURIComponent('The Office')}`);
      expect(both.every((r) => r.type === 'show')).to.equal(true);
      expect(titles(both)).to.have.members(['The Office 2001', 'The Office 2005']);
      const us = await results(`/search/show?query=${encodeURIComponent('The Office \\(US\\)')}`);
      expect(titles(us)[0]).to.equal('The Office 2005');
      expect(titles(await results('/search/movie,show?query=Shameless'))).to.deep.equal(['Shameless 2011', 'Shameless 2004']);
    });

    it('paginates with X-Pagination headers (default 50 per page)', async () => {
      const res = await get('/search/movie?query=movie&limit=10&page=2');
      expect(res.headers.get('x-pagination-page')).to.equal('2');
      expect(res.headers.get('x-pagination-limit')).to.equal('10');
      expect(res.headers.get('x-pagination-item-count')).to.equal('400');
      expect(res.headers.get('x-pagination-page-count')).to.equal('40');
      expect((await res.json()) as unknown[]).to.have.length(10);
      const def = await get('/search/movie?query=movie');
      expect(def.headers.get('x-pagination-limit')).to.equal('50');
      expect((await get('/search/movie')).status, 'query missing').to.equal(400);
      expect((await get('/search/planet?query=x')).status, 'unknown type').to.equal(404);
    });
  });

  it('counts searches against the GET rate limit', async () => {
    const limited = await startTraktSandbox({ timeScale: 0.01, catalog: SMALL, getLimit: 2 });
    try {
      const headers = { 'User-Agent': 'sandbox-spec/1.0', 'trakt-api-version': '2', 'trakt-api-key': 'sandbox-client-id' };
      const statuses: number[] = [];
      for (const path of ['/search/imdb/tt1375666', '/search/movie?query=dune', '/search/movie?query=dune']) {
        statuses.push((await fetch(limited.url + path, { headers })).status);
      }
      expect(statuses).to.deep.equal([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});
