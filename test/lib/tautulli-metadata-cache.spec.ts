import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MetadataCache, type MetadataSource } from '../../lib/tautulli/metadata-cache';
import type { TautulliMetadata } from '../../lib/tautulli/types';
import { rejectionOf, sleep, useTempState } from './helpers';

const episode = (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tautulli', 'get_metadata_episode.json'), 'utf8')) as { response: { data: TautulliMetadata } }).response.data;

/** A Tautulli stand-in that counts get_metadata calls and answers after a short delay. */
class FakeTautulli implements MetadataSource {
  readonly url = 'http://tautulli.test:8181/tautulli';
  calls: string[] = [];
  failNext = false;
  constructor(private readonly known: Record<string, TautulliMetadata>) {}
  async getMetadata(ratingKey: string | number): Promise<TautulliMetadata | undefined> {
    this.calls.push(String(ratingKey));
    await sleep(10);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('Tautulli is not reachable');
    }
    return this.known[String(ratingKey)];
  }
}

const library = (): Record<string, TautulliMetadata> => ({
  '153037': episode,
  '48211': { media_type: 'movie', title: 'Crouching Tiger, Hidden Dragon', guids: ['imdb://tt0190332', 'tmdb://146'] },
  '2210': { media_type: 'movie', title: 'Léon: The Professional', guids: ['imdb://tt0110413', 'tmdb://101'] },
});

describe('lib/tautulli/metadata-cache', () => {
  const state = useTempState({ storeIn: 'clawarr' });

  it('20 rows of 3 items make 3 calls, rows asked one after another', async () => {
    const tautulli = new FakeTautulli(library());
    const cache = new MetadataCache(tautulli);
    const keys = Array.from({ length: 20 }, (_, i) => ['153037', '48211', '2210'][i % 3]);
    for (const key of keys) expect(await cache.get(key)).to.not.equal(undefined);
    expect(tautulli.calls.sort()).to.deep.equal(['153037', '2210', '48211']);
    expect(cache.fetches).to.equal(3);
  });

  it('50 concurrent asks for one plex:// item share ONE request', async () => {
    const tautulli = new FakeTautulli(library());
    const cache = new MetadataCache(tautulli);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => cache.get(i % 2 ? 153037 : '153037')));
    expect(tautulli.calls).to.deep.equal(['153037']);
    for (const answer of answers) expect(answer?.grandparent_guids).to.deep.equal(['imdb://tt0944947', 'tmdb://1399', 'tvdb://121361']);
  });

  it('an item Plex no longer has ({}) is asked once per run, and not remembered across a restart', async () => {
    const tautulli = new FakeTautulli(library());
    const cache = new MetadataCache(tautulli, state.store);
    expect(await cache.get('999')).to.equal(undefined);
    expect(await cache.get('999')).to.equal(undefined);
    expect(tautulli.calls).to.deep.equal(['999']);
    cache.save();
    const after = new FakeTautulli(library());
    await new MetadataCache(after, state.store).get('999');
    expect(after.calls).to.deep.equal(['999']);
  });

  it('a failed call is not cached: the next ask tries again', async () => {
    const tautulli = new FakeTautulli(library());
    const cache = new MetadataCache(tautulli);
    tautulli.failNext = true;
    expect((await rejectionOf(cache.get('2210'))).message).to.equal('Tautulli is not reachable');
    expect((await cache.get('2210'))?.guids).to.deep.equal(['imdb://tt0110413', 'tmdb://101']);
    expect(tautulli.calls).to.deep.equal(['2210', '2210']);
  });

  it('after a restart the persisted cache answers without a call, keeping only the id parts (0600 file)', async () => {
    const first = new FakeTautulli(library());
    const cache = new MetadataCache(first, state.store);
    await cache.get('153037');
    await cache.get('48211');
    cache.save();

    const file = join(state.store.dir, 'tautulli-metadata-http_tautulli.test_8181_tautulli.json');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
    expect(saved['153037']).to.deep.equal({
      guids: ['imdb://tt3658014', 'tmdb://1156503', 'tvdb://5469015'],
      grandparent_guids: ['imdb://tt0944947', 'tmdb://1399', 'tvdb://121361'],
      grandparent_year: '2011',
    });
    expect(Object.keys(saved['48211'])).to.deep.equal(['guids']);

    const restarted = new FakeTautulli(library());
    const again = new MetadataCache(restarted, state.store);
    expect((await again.get(153037))?.grandparent_year).to.equal('2011');
    expect((await again.get('48211'))?.guids).to.deep.equal(['imdb://tt0190332', 'tmdb://146']);
    expect(restarted.calls).to.deep.equal([]);
    expect(again.fetches).to.equal(0);
  });

  it('keeps one file per Tautulli server', async () => {
    const a = new FakeTautulli(library());
    const cache = new MetadataCache(a, state.store);
    await cache.get('2210');
    cache.save();
    const other = Object.assign(new FakeTautulli(library()), { url: 'http://other:8181' });
    const otherCache = new MetadataCache(other, state.store);
    await otherCache.get('2210');
    expect(other.calls).to.deep.equal(['2210']);
  });
});
