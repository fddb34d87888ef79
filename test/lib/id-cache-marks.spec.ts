import { expect } from 'chai';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { HighWaterMarks } from '../../lib/store/high-water-marks';
import { IdCache } from '../../lib/store/id-cache';
import { useTempState } from './helpers';

describe('lib/store id cache and high-water marks', () => {
  const state = useTempState({ storeIn: 'clawarr' });

  it('keys titles like the reference (inception_2010), folding accents and punctuation', () => {
    expect(IdCache.keyOf('Inception', 2010)).to.equal('inception_2010');
    expect(IdCache.keyOf('Amélie: Le Fabuleux Destin', 2001)).to.equal('amelie_le_fabuleux_destin_2001');
    expect(IdCache.keyOf('The Office (US)')).to.equal('the_office_us');
  });

  it('keeps found ids across a restart, in a 0600 file', () => {
    const cache = new IdCache(state.store);
    cache.set('inception_2010', { trakt: 16662, imdb: 'tt1375666' });
    cache.save();
    expect(new IdCache(state.store).get('inception_2010')).to.deep.equal({ trakt: 16662, imdb: 'tt1375666' });
    expect(statSync(join(state.store.dir, 'id-cache.json')).mode & 0o777).to.equal(0o600);
  });

  it('remembers a miss for a while, then asks again', () => {
    const cache = new IdCache(state.store, 1000);
    cache.setMiss('nothing_2031');
    expect(cache.get('nothing_2031')).to.equal('miss');
    expect(cache.get('nothing_2031', Date.now() + 2000)).to.equal(undefined);
    expect(cache.get('never_seen')).to.equal(undefined);
  });

  it('moves high-water marks forward only, and keeps them across a restart', () => {
    const marks = new HighWaterMarks(state.store);
    marks.advance('tautulli:node1', 1704470400);
    marks.advance('tautulli:node1', 1704380400);
    expect(new HighWaterMarks(state.store).get('tautulli:node1')).to.equal(1704470400);
    expect(state.store.readJson<Record<string, unknown>>('sync-state.json', {})).to.deep.equal({ last_sync: { 'tautulli:node1': 1704470400 } });
    marks.reset('tautulli:node1');
    expect(marks.get('tautulli:node1')).to.equal(undefined);
  });
});
