import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { MediaItem } from '../../lib/schema/types';
import { StateStore } from '../../lib/store/state-store';
import { TautulliClient } from '../../lib/tautulli/client';
import { MetadataCache } from '../../lib/tautulli/metadata-cache';
import { HistoryReader, type ReaderPage, type ReaderSnapshot, type ReadOptions } from '../../lib/tautulli/reader';
import type { TautulliHistoryRow, TautulliMetadata } from '../../lib/tautulli/types';
import { rejectionOf, removeDir, tempDir, useOfflineNock } from './helpers';

const HOST = 'http://tautulli.test:8181';
const KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const episodeMetadata = (JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tautulli', 'get_metadata_episode.json'), 'utf8')) as { response: { data: TautulliMetadata } }).response.data;

const T0 = Date.UTC(2024, 5, 10, 12, 0, 0) / 1000; // 2024-06-10 12:00 UTC
const HOUR = 3600;

/** A history row; `stopped` in hours after T0. */
function row(id: number, hours: number, extra: Partial<TautulliHistoryRow> = {}): TautulliHistoryRow {
  const stopped = T0 + hours * HOUR;
  return {
    reference_id: id,
    row_id: id,
    id,
    date: stopped - HOUR,
    started: stopped - HOUR,
    stopped,
    duration: HOUR,
    user_id: 1,
    user: 'alice',
    media_type: 'movie',
    rating_key: 5000 + id,
    parent_rating_key: '',
    grandparent_rating_key: '',
    full_title: `Movie ${id}`,
    title: `Movie ${id}`,
    parent_title: '',
    grandparent_title: '',
    year: 2000,
    media_index: '',
    parent_media_index: '',
    guid: `com.plexapp.agents.imdb://tt${1000000 + id}?lang=en`,
    percent_complete: 95,
    watched_status: 1,
    group_count: 1,
    group_ids: String(id),
    ...extra,
  };
}

/** A Tautulli served by nock: get_history with after / user / media_type / ordering / paging, and get_metadata. */
class FakeTautulli {
  rows: TautulliHistoryRow[] = [];
  metadata: Record<string, TautulliMetadata> = {};
  history: Array<Record<string, string>> = [];
  metadataCalls: string[] = [];
  /** Answers the n-th get_history request (1-based) with a 400 error envelope. */
  failHistoryRequest?: number;

  install(): void {
    nock(HOST)
      .persist()
      .get('/api/v2')
      .query(true)
      .reply((path) => {
        const q = Object.fromEntries(new URL(path, HOST).searchParams);
        if (q.apikey !== KEY) return [400, { response: { result: 'error', message: 'Invalid apikey', data: {} } }];
        if (q.cmd === 'get_metadata') {
          this.metadataCalls.push(q.rating_key);
          return [200, envelope(this.metadata[q.rating_key] ?? {})];
        }
        this.history.push(q);
        if (this.failHistoryRequest === this.history.length) return [400, { response: { result: 'error', message: 'database is locked', data: {} } }];
        return [200, envelope(this.page(q))];
      });
  }

  private page(q: Record<string, string>): unknown {
    const types = q.media_type?.split(',');
    const users = q.user?.split(',');
    const filtered = this.rows
      .filter((r) => !q.after || new Date(r.started * 1000).toISOString().slice(0, 10) >= q.after)
      .filter((r) => !types || types.includes(r.media_type))
      .filter((r) => !users || users.includes(r.user))
      .sort((a, b) => (q.order_dir === 'asc' ? a.stopped - b.stopped : b.stopped - a.stopped));
    const start = Number(q.start ?? 0);
    const data = filtered.slice(start, start + Number(q.length ?? 25));
    return { draw: 1, recordsTotal: this.rows.length, recordsFiltered: filtered.length, data };
  }
}

function envelope(data: unknown): unknown {
  return { response: { result: 'success', message: null, data } };
}

/** Reader state kept in memory, as the node keeps it in a file. */
function memoryState(initial: ReaderSnapshot = { seen: [] }): { load(): ReaderSnapshot; save(s: ReaderSnapshot): void; current: ReaderSnapshot; saves: number } {
  const state = {
    current: initial,
    saves: 0,
    load: () => JSON.parse(JSON.stringify(state.current)) as ReaderSnapshot,
    save: (s: ReaderSnapshot) => {
      state.current = JSON.parse(JSON.stringify(s)) as ReaderSnapshot;
      state.saves += 1;
    },
  };
  return state;
}

describe('lib/tautulli/reader HistoryReader', () => {
  let server: FakeTautulli;
  let client: TautulliClient;
  useOfflineNock();
  beforeEach(() => {
    server = new FakeTautulli();
    server.install();
    client = new TautulliClient({ url: HOST, apiKey: KEY, backoffBaseMs: 5, timeoutMs: 2000 });
  });

  /** Runs one read and collects what it handed over. */
  async function run(state: ReturnType<typeof memoryState>, options: ReadOptions = {}, metadata = new MetadataCache(client)) {
    const pages: ReaderPage[] = [];
    const result = await new HistoryReader(client, metadata, state).read({ pageSize: 2, ...options }, (page) => {
      pages.push(page);
    });
    const items = pages.flatMap((p) => p.items);
    return { result, pages, items, refs: items.map((i) => i.source?.ref) };
  }

  it('first run reads every page oldest first, asking with include_activity=0, grouping=1 and an explicit order', async () => {
    server.rows = [row(1, 1), row(2, 2), row(3, 3), row(4, 4), row(5, 5)];
    const state = memoryState();
    const { result, pages, refs } = await run(state);
    expect(refs).to.deep.equal(['1', '2', '3', '4', '5']);
    expect(server.history.map((q) => q.start)).to.deep.equal(['0', '2', '4']);
    for (const q of server.history) {
      expect(q).to.include({ cmd: 'get_history', include_activity: '0', grouping: '1', order_column: 'stopped', order_dir: 'asc', length: '2', media_type: 'movie,episode' });
      expect(q).to.not.have.property('after');
      expect(q).to.not.have.property('user');
    }
    expect(pages.map((p) => [p.done, p.total])).to.deep.equal([
      [2, 5],
      [4, 5],
      [5, 5],
    ]);
    expect(result).to.deep.equal({ items: 5, rejected: 0, pages: 3, requests: { history: 3, metadata: 0 } });
    expect(state.current.hwm).to.equal(T0 + 5 * HOUR);
    expect(state.saves).to.equal(3);
  });

  it('stops paging when start reaches recordsFiltered (no empty extra request)', async () => {
    server.rows = [row(1, 1), row(2, 2), row(3, 3), row(4, 4)];
    const { result } = await run(memoryState());
    expect(result.requests.history).to.equal(2);
  });

  it('second run asks with after = mark date minus three days and emits only new plays', async () => {
    server.rows = [row(1, 1), row(2, 2), row(3, 3)];
    const state = memoryState();
    await run(state);
    const mark = T0 + 3 * HOUR; // 2024-06-10 15:00 UTC
    expect(state.current.hwm).to.equal(mark);

    server.history = [];
    server.rows.push(
      // Started two hours before the mark, stopped after it: a new play.
      row(4, 4, { started: mark - 2 * HOUR, date: mark - 2 * HOUR }),
      // Stopped in the same second as the last play read, but a different play: new too.
      row(5, 3, { user: 'bob', user_id: 2 }),
      // Stopped before the mark, only seen again because of the margin: old.
      row(6, 2.5, { started: mark - 3 * HOUR }),
    );
    const { refs } = await run(state);
    expect(server.history[0].after).to.equal('2024-06-07');
    expect(refs).to.deep.equal(['5', '4']);

    // A third run with nothing new emits nothing.
    const third = await run(state);
    expect(third.refs).to.deep.equal([]);
  });

  it('a grouped continuation of a play already emitted is skipped; one of a play filtered as unwatched is emitted', async () => {
    server.rows = [
      row(10, 1, { percent_complete: 60, watched_status: 0.5 }), // emitted with minWatched 50
      row(20, 2, { percent_complete: 30, watched_status: 0 }), // below 50: not emitted
    ];
    const state = memoryState();
    const first = await run(state, { minWatched: 50 });
    expect(first.refs).to.deep.equal(['10']);

    // Both plays were resumed later; Tautulli groups each resumed session into its play.
    server.rows = [
      row(10, 5, { row_id: 11, id: 11, group_ids: '10,11', group_count: 2, percent_complete: 98, watched_status: 1 }),
      row(20, 6, { row_id: 21, id: 21, group_ids: '20,21', group_count: 2, percent_complete: 97, watched_status: 1 }),
    ];
    const second = await run(state, { minWatched: 50 });
    expect(second.refs).to.deep.equal(['20']);
  });

  it('a play resumed after many other plays (beyond the recent ids) is still recognised as a continuation', async () => {
    server.rows = [row(10, 1, { percent_complete: 60, watched_status: 0.5 }), ...Array.from({ length: 1500 }, (_, i) => row(100 + i, 2 + i / 100, { user: 'bob' }))];
    const state = memoryState();
    expect((await run(state, { minWatched: 50, pageSize: 1000 })).result.items).to.equal(1501);
    server.rows = [row(10, 40, { row_id: 11, id: 11, group_ids: '10,11', percent_complete: 98, watched_status: 1 })];
    expect((await run(state, { minWatched: 50 })).refs).to.deep.equal([]);
  });

  it('a continuation whose first session fell before `after` (reference_id only) is still known', async () => {
    server.rows = [row(10, 1, { percent_complete: 60, watched_status: 0.5 })];
    const state = memoryState();
    await run(state, { minWatched: 50 });
    // Tautulli filters sessions before grouping: the group comes back without session 10.
    server.rows = [row(10, 80, { row_id: 11, id: 11, group_ids: '11', started: T0 + 79 * HOUR, percent_complete: 98, watched_status: 1 })];
    const second = await run(state, { minWatched: 50 });
    expect(second.refs).to.deep.equal([]);
  });

  it('a failure on page 2 keeps the mark at page 1; the next run re-reads from there, no skip, no duplicate', async () => {
    server.rows = [row(1, 1), row(2, 2), row(3, 3), row(4, 4), row(5, 5)];
    server.failHistoryRequest = 2;
    const state = memoryState();
    const emitted: string[] = [];
    const reader = new HistoryReader(client, new MetadataCache(client), state);
    const collect = (page: ReaderPage): void => {
      emitted.push(...page.items.map((i) => i.source?.ref ?? '?'));
    };
    const error = await rejectionOf(reader.read({ pageSize: 2 }, collect));
    expect(error.message).to.equal('Tautulli: database is locked');
    expect(emitted).to.deep.equal(['1', '2']);
    expect(state.current.hwm).to.equal(T0 + 2 * HOUR);

    server.failHistoryRequest = undefined;
    server.history = [];
    await reader.read({ pageSize: 2 }, collect);
    expect(server.history[0]).to.include({ after: '2024-06-07', start: '0' });
    expect(emitted).to.deep.equal(['1', '2', '3', '4', '5']);
  });

  it('a failure while the page is handed over (downstream throws) does not move the mark either', async () => {
    server.rows = [row(1, 1), row(2, 2), row(3, 3), row(4, 4)];
    const state = memoryState();
    const emitted: string[] = [];
    let calls = 0;
    const reader = new HistoryReader(client, new MetadataCache(client), state);
    const error = await rejectionOf(
      reader.read({ pageSize: 2 }, (page) => {
        calls += 1;
        if (calls === 2) throw new Error('flow is down');
        emitted.push(...page.items.map((i) => i.source?.ref ?? '?'));
      }),
    );
    expect(error.message).to.equal('flow is down');
    expect(state.current.hwm).to.equal(T0 + 2 * HOUR);
    await reader.read({ pageSize: 2 }, (page) => {
      emitted.push(...page.items.map((i) => i.source?.ref ?? '?'));
    });
    expect(emitted).to.deep.equal(['1', '2', '3', '4']);
  });

  it('minWatched: by default what Tautulli counts as watched; a number is a percentage', async () => {
    server.rows = [row(1, 1, { watched_status: 1, percent_complete: 90 }), row(2, 2, { watched_status: 0.5, percent_complete: 60 }), row(3, 3, { watched_status: 0, percent_complete: 20 })];
    expect((await run(memoryState())).refs).to.deep.equal(['1']);
    expect((await run(memoryState(), { minWatched: 50 })).refs).to.deep.equal(['1', '2']);
    expect((await run(memoryState(), { minWatched: 0 })).refs).to.deep.equal(['1', '2', '3']);
  });

  it('passes user and media type filters to Tautulli as comma lists, and grouping=0 when turned off', async () => {
    server.rows = [row(1, 1), row(2, 2, { user: 'bob' }), row(3, 3, { user: 'carol' })];
    const { refs } = await run(memoryState(), { users: ['alice', 'bob'], mediaTypes: ['movie'], grouping: false });
    expect(server.history[0]).to.include({ user: 'alice,bob', media_type: 'movie', grouping: '0' });
    expect(refs).to.deep.equal(['1', '2']);
  });

  it('since overrides the mark: plays from then on come out again', async () => {
    server.rows = [row(1, 1), row(2, 30), row(3, 60)];
    const state = memoryState();
    await run(state);
    server.history = [];
    const { refs } = await run(state, { since: T0 + 20 * HOUR });
    expect(server.history[0].after).to.equal('2024-06-08');
    expect(refs).to.deep.equal(['2', '3']);
    expect(state.current.hwm).to.equal(T0 + 60 * HOUR);
  });

  it('resolves plex:// ids with one get_metadata per item: 20 rows of 3 items → 3 calls; episodes get show ids from the same call', async () => {
    server.metadata = {
      '153037': episodeMetadata,
      '48211': { guids: ['imdb://tt0190332', 'tmdb://146'] },
      '48212': {},
    };
    const plexRow = (id: number, key: number): TautulliHistoryRow =>
      key === 153037
        ? row(id, id, { media_type: 'episode', rating_key: key, guid: 'plex://episode/5d9c1276e9d5a1001f4ff2fa', title: 'The Red Woman', grandparent_title: 'Game of Thrones', parent_media_index: 6, media_index: 1 })
        : row(id, id, { rating_key: key, guid: `plex://movie/${key}` });
    server.rows = Array.from({ length: 20 }, (_, i) => plexRow(i + 1, [153037, 48211, 48212][i % 3]));
    const { items, result } = await run(memoryState(), { pageSize: 7 });
    expect(items).to.have.length(20);
    expect(server.metadataCalls.sort()).to.deep.equal(['153037', '48211', '48212']);
    expect(result.requests).to.deep.equal({ history: 3, metadata: 3 });
    const episode = items.find((i) => i.type === 'episode') as MediaItem;
    expect(episode.ids).to.deep.equal({ imdb: 'tt3658014', tmdb: 1156503, tvdb: 5469015 });
    expect(episode.show).to.deep.equal({ title: 'Game of Thrones', year: 2011, ids: { imdb: 'tt0944947', tmdb: 1399, tvdb: 121361 } });
    expect(items.find((i) => i.source?.ref === '2')?.ids).to.deep.equal({ imdb: 'tt0190332', tmdb: 146 });
    // Gone from Plex: no ids, title and year kept for search.
    expect(items.find((i) => i.source?.ref === '3')).to.deep.include({ title: 'Movie 3', year: 2000 }).and.not.have.property('ids');
  });

  it('a persisted metadata cache is reused after a restart (no get_metadata call)', async () => {
    const dir = tempDir();
    try {
      const store = new StateStore(join(dir, 'clawarr'));
      server.metadata = { '48211': { guids: ['imdb://tt0190332'] } };
      server.rows = [row(1, 1, { rating_key: 48211, guid: 'plex://movie/5d776833961905001eb92ab4' })];
      await run(memoryState(), {}, new MetadataCache(client, store));
      expect(server.metadataCalls).to.deep.equal(['48211']);
      const restarted = await run(memoryState(), {}, new MetadataCache(client, store));
      expect(server.metadataCalls).to.deep.equal(['48211']);
      expect(restarted.items[0].ids).to.deep.equal({ imdb: 'tt0190332' });
    } finally {
      removeDir(dir);
    }
  });

  it('hands broken rows over as rejections with reasons, once', async () => {
    server.rows = [row(1, 1), row(2, 2, { media_type: 'episode', parent_media_index: '', media_index: 3, grandparent_title: 'Show' }), row(3, 3)];
    const state = memoryState();
    const { pages, result } = await run(state, { pageSize: 10 });
    expect(pages[0].rejected.map((r) => r.reason)).to.deep.equal(['row 2: no season number']);
    expect(pages[0].rejected[0].row.row_id).to.equal(2);
    expect(result).to.include({ items: 2, rejected: 1 });
    const again = await run(state, { pageSize: 10 });
    expect(again.result).to.include({ items: 0, rejected: 0 });
  });

  it('an empty history reports one empty page and leaves no mark', async () => {
    const state = memoryState();
    const { pages, result } = await run(state);
    expect(pages).to.deep.equal([{ items: [], rejected: [], done: 0, total: 0 }]);
    expect(result.items).to.equal(0);
    expect(state.current.hwm).to.equal(undefined);
  });

  it('keeps the saved state small on a long history', async () => {
    server.rows = Array.from({ length: 3000 }, (_, i) => row(i + 1, i / 10));
    const state = memoryState();
    const { result } = await run(state, { pageSize: 1000 });
    expect(result.items).to.equal(3000);
    expect(state.current.seen.length).to.be.at.most(1000);
    expect(state.current.seen).to.include(3000);
  });
});
