import { expect } from 'chai';
import { ClawarrError } from '../../lib/core/errors';
import type { ListAddResult, ListKind, ListProvider } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import { SyncLedger } from '../../lib/sync/ledger';
import { ListSync } from '../../lib/sync/list-sync';
import { useTempState } from './helpers';

class FakeLists implements ListProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';
  calls: Array<{ list: ListKind; items: MediaItem[] }> = [];
  unknownImdb = new Set<string>();
  failWith?: Error;
  lists(): readonly ListKind[] {
    return ['ratings', 'watchlist', 'collection'];
  }
  async addToList(list: ListKind, items: MediaItem[]): Promise<ListAddResult> {
    if (this.failWith) throw this.failWith;
    this.calls.push({ list, items });
    const notFound = items.flatMap((item, i) => (this.unknownImdb.has(item.ids?.imdb ?? '') ? [i] : []));
    return { notFound, added: items.length - notFound.length };
  }
}

const film = (n: number, rating?: number): MediaItem => ({ type: 'movie', title: `Film ${n}`, year: 2000 + (n % 20), ids: { imdb: `tt${1000000 + n}` }, ...(rating ? { rating } : {}) });

describe('lib/sync/list-sync (ListSync)', () => {
  const state = useTempState({ storeIn: 'clawarr', closeLedgers: true });

  it('writes 250 ratings in 3 batches, and nothing on a re-run (also after reopening the ledger)', async () => {
    const lists = new FakeLists();
    const items = Array.from({ length: 250 }, (_, i) => film(i, (i % 10) + 1));
    const report = await new ListSync(lists, SyncLedger.open(state.store, 'trakt:me'), 'ratings').sync(items);
    expect(report.added).to.have.length(250);
    expect(lists.calls).to.have.length(3);
    SyncLedger.closeAll();
    const again = await new ListSync(lists, SyncLedger.open(state.store, 'trakt:me'), 'ratings').sync(items);
    expect(again.skipped).to.have.length(250);
    expect(lists.calls).to.have.length(3);
  });

  it('writes a rating again when its value changed, but a watchlist entry only once', async () => {
    const lists = new FakeLists();
    const ledger = SyncLedger.open(state.store, 'trakt:me');
    await new ListSync(lists, ledger, 'ratings').sync([film(1, 7)]);
    const changed = await new ListSync(lists, ledger, 'ratings').sync([film(1, 9)]);
    expect(changed.added).to.have.length(1);
    await new ListSync(lists, ledger, 'watchlist').sync([film(2)]);
    const twice = await new ListSync(lists, ledger, 'watchlist').sync([film(2)]);
    expect(twice.skipped).to.have.length(1);
  });

  it('sends items without a rating to failed for ratings, and not-found items to notFound (not into the ledger)', async () => {
    const lists = new FakeLists();
    lists.unknownImdb.add('tt1000003');
    const ledger = SyncLedger.open(state.store, 'trakt:me');
    const report = await new ListSync(lists, ledger, 'ratings').sync([film(1), film(2, 8), film(3, 5)]);
    expect(report.failed.map((f) => f.reason)).to.deep.equal(['no rating: ratings need "rating" from 1 to 10']);
    expect(report.notFound.map((i) => i.title)).to.deep.equal(['Film 3']);
    expect(ledger.isListed('ratings', film(3, 5))).to.equal(false);
  });

  it('stops at an account limit (420) and reports every remaining item with the reason', async () => {
    const lists = new FakeLists();
    lists.failWith = new ClawarrError('Trakt account limit reached (420, limit 250)', 'account_limit', 420);
    const report = await new ListSync(lists, SyncLedger.open(state.store, 'trakt:me'), 'watchlist', { batchSize: 100 }).sync(Array.from({ length: 150 }, (_, i) => film(i)));
    expect(report.failed).to.have.length(150);
    expect(report.failed[0].reason).to.contain('limit 250');
  });

  it('dry run writes nothing', async () => {
    const lists = new FakeLists();
    const report = await new ListSync(lists, SyncLedger.open(state.store, 'trakt:me'), 'collection', { dryRun: true }).sync([film(1), film(2)]);
    expect(report.wouldAdd).to.have.length(2);
    expect(lists.calls).to.have.length(0);
  });
});
