// clawarr-tracker-in (reading an account) and the list writes of clawarr-sync-history ("what":
// ratings, watchlist, collection) in a Node-RED runtime against the fake Trakt and the fake Simkl:
// what a user sees on the outputs, in the status, at a Catch node and on the tracker.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeMessage } from 'node-red';
import { startSimklSandbox, type SimklSandbox, type TraktSandbox } from '../sandbox';
import { listKey } from '../sandbox/trakt/state';
import { authorizedCreds, CATALOG, catalog, episodePlay, helper, moviePlay, startSandbox, statusesOf, useNodeRed, useSandbox } from './harness';
import {
  ageSimklActivities,
  ageTraktActivities,
  collect,
  type Collected,
  episodeRef,
  errorText,
  type FlowNode,
  flowWith,
  isComplete,
  isText,
  itemsOf,
  type ItemOut,
  loadFlow,
  reasonOf,
  simklCreds,
  simklMoviePlay,
  simklRequests,
  t,
  traktCollect,
  traktPlay,
  traktRating,
  traktRequests,
  traktWatchlist,
  until,
} from './harness-csv';

interface Summary {
  added: number;
  skipped: number;
  notFound: number;
  failed: number;
  requests: { writes: number; reads: number };
}

const MINUTE = 60_000;
const minuteAgo = (n: number): string => new Date(Math.floor((Date.now() - n * MINUTE) / MINUTE) * MINUTE).toISOString();
const at = (day: number): string => `2024-03-${String(day).padStart(2, '0')}T20:00:00.000Z`;
const keyOfItem = (i: ItemOut): string => (i.type === 'episode' ? `episode:${i.show?.title}:${i.season}x${i.episode}` : `${i.type}:${i.title}`);
const movieKey = (i: number): string => `movie:${catalog.movies[i].title}`;
const episodeKey = (n: number): string => {
  const { show, season, episode } = episodeRef(n);
  return `episode:${show.title}:${season.number}x${episode.number}`;
};
const summaryOf = (msg: NodeMessage | undefined): Summary => msg?.payload as Summary;

/** The read's end as the status shows it: done, unchanged (nothing new) or an error, not "reading …". */
const FINAL = ['tracker-in.status.done', 'tracker-in.status.unchanged', 'tracker-in.status.error'];
const isFinal = (text: unknown): boolean => !isText(text, 'tracker-in.status.reading') && FINAL.some((key) => isText(text, key));

function trackerIn(options: Record<string, unknown> = {}): FlowNode {
  return { type: 'clawarr-tracker-in', tracker: 'cfg', read: 'history', types: 'movies,shows', incremental: true, output: 'page', ...options };
}

function syncNode(what: string, options: Record<string, unknown> = {}): FlowNode {
  return { type: 'clawarr-sync-history', tracker: 'cfg', what, batchSize: 100, idleSeconds: 0.05, ...options };
}

/** Triggers a read and waits for its final status; returns what came out on output 1 meanwhile. */
async function read(out: Collected, msg: Record<string, unknown> = { payload: 'go' }): Promise<{ msgs: NodeMessage[]; status: { fill?: string; text?: string } }> {
  const node = helper.getNode('n1');
  const statuses = statusesOf(node).length;
  const outputs = out.out1.length;
  node.receive(msg as NodeMessage);
  await until(() => statusesOf(node).slice(statuses).some((s) => isFinal(s.text)), 'the read to end');
  await new Promise((r) => setTimeout(r, 20));
  return { msgs: out.out1.slice(outputs), status: statusesOf(node).at(-1) ?? {} };
}

// ======================================================================== Trakt

describe('nodes: clawarr-tracker-in and sync-history lists with Trakt', function () {
  this.timeout(10_000);
  let sb: TraktSandbox;
  let out: Collected;
  let creds: Record<string, string>;

  useNodeRed();
  useSandbox(startSandbox, (started) => (sb = started));
  beforeEach(() => {
    creds = authorizedCreds(sb) as unknown as Record<string, string>;
  });

  const config = (): FlowNode => ({ id: 'cfg', type: 'clawarr-trakt-config', apiUrl: sb.url });

  async function deploy(node: FlowNode, options: { fresh?: boolean; extra?: FlowNode[] } = {}): Promise<void> {
    await loadFlow([...flowWith(node, config()), ...(options.extra ?? [])], { cfg: creds }, { fresh: options.fresh });
    out = collect();
  }

  /** Three movie plays and two episode plays, their activity stamps two minutes back. */
  function seedHistory(): string[] {
    traktPlay(sb, 'movie', 1, at(1));
    traktPlay(sb, 'movie', 2, at(2));
    traktPlay(sb, 'movie', 3, at(3));
    traktPlay(sb, 'episode', 0, at(4));
    traktPlay(sb, 'episode', 1, at(5));
    ageTraktActivities(sb);
    return [movieKey(1), movieKey(2), movieKey(3), episodeKey(0), episodeKey(1)];
  }

  describe('10. history, incrementally', () => {
    it('reads every play in pages and ends with the complete marker; then reads nothing (one request) until a play is added, then only it', async () => {
      const seeded = seedHistory();
      await deploy(trackerIn());

      const first = await read(out);
      const pages = first.msgs.filter((m) => !isComplete(m));
      expect(pages.length).to.be.greaterThan(0);
      expect(pages.every((m) => Array.isArray(m.payload))).to.equal(true);
      expect(itemsOf(first.msgs).map(keyOfItem).sort()).to.deep.equal([...seeded].sort());
      const movie = itemsOf(first.msgs).find((i) => i.title === catalog.movies[1].title)!;
      expect(movie).to.deep.include({ type: 'movie', watchedAt: at(1) });
      expect(movie.ids).to.deep.include({ trakt: catalog.movies[1].trakt, imdb: catalog.movies[1].imdb });
      expect(first.msgs.filter(isComplete), 'one complete marker, last').to.have.lengthOf(1);
      expect(isComplete(first.msgs.at(-1)!)).to.equal(true);
      expect(first.msgs.at(-1)!.payload).to.deep.equal([]);
      expect(first.status).to.include({ fill: 'green', text: t('tracker-in.status.done', { count: 5, kind: 'history' }) });

      const requests = sb.state.requestLog.length;
      const second = await read(out);
      expect(second.msgs, 'nothing sent when nothing changed').to.deep.equal([]);
      expect(second.status.text).to.equal(t('tracker-in.status.unchanged'));
      expect(traktRequests(sb).slice(requests), 'exactly one request reached Trakt').to.deep.equal(['GET /sync/last_activities']);

      const watchedAt = minuteAgo(1);
      traktPlay(sb, 'movie', 50, watchedAt);
      const third = await read(out);
      expect(itemsOf(third.msgs).map((i) => `${keyOfItem(i)}@${i.watchedAt}`), 'only the new play').to.deep.equal([`${movieKey(50)}@${watchedAt}`]);
      expect(isComplete(third.msgs.at(-1)!)).to.equal(true);
      expect(third.status.text).to.equal(t('tracker-in.status.done', { count: 1, kind: 'history' }));
      expect(out.err).to.deep.equal([]);
    });
  });

  describe('10a. progress of a read', () => {
    it('msg.page.total, when a page carries it, is the size of the whole read (movies and episodes), not of the list read so far', async () => {
      seedHistory();
      await deploy(trackerIn({ incremental: false }));
      const { msgs } = await read(out);
      const pages = msgs.filter((m) => !isComplete(m)).map((m) => (m as { page?: { done: number; total?: number } }).page!);
      expect(pages.map((p) => p.done)).to.deep.equal([3, 5]);
      // A total below the whole read tells a consumer (csv-export, a progress bar) the read is over after the movies.
      for (const page of pages) expect(page.total === undefined || page.total === 5, `page ${JSON.stringify(page)}`).to.equal(true);
    });
  });

  describe('10b. history into a file', () => {
    it('tracker-in → csv-export writes one file with every play, without an error', async () => {
      seedHistory();
      const file = join(process.env.CLAWARR_STATE_DIR!, 'history.csv');
      await loadFlow(
        [
          { id: 'f1', type: 'tab' },
          config(),
          { id: 'n1', z: 'f1', ...trackerIn({ incremental: false }), wires: [['exp']] },
          { id: 'exp', type: 'clawarr-csv-export', z: 'f1', format: 'generic', filename: file, wires: [['out1']] },
          { id: 'out1', type: 'helper', z: 'f1' },
          { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
          { id: 'err', type: 'helper', z: 'f1' },
        ],
        { cfg: creds },
      );
      out = collect();
      helper.getNode('n1').receive({ payload: 'go' } as NodeMessage);
      await until(() => out.out1.length >= 1, 'the file');
      await new Promise((r) => setTimeout(r, 300));
      const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter(Boolean);
      expect(lines, 'header + 5 plays').to.have.lengthOf(6);
      expect(out.err.map(errorText), 'no error at the Catch node').to.deep.equal([]);
      expect(out.out1.map((m) => String(m.payload)), 'one message naming the file').to.deep.equal([file]);
    });
  });

  describe('11. the other kinds', () => {
    it('ratings, watchlist, collection, watching, stats and trending each come out as what Trakt shows', async () => {
      seedHistory();
      traktRating(sb, 5, 7, at(6));
      traktRating(sb, 6, 9, at(7));
      traktWatchlist(sb, 7, at(8));
      traktWatchlist(sb, 8, at(9));
      traktCollect(sb, 'movie', 9, at(10));
      traktCollect(sb, 'episode', 2, at(11));
      const playing = catalog.movies[11];
      sb.state.playback.set(`${sb.state.options.username}|movie:${playing.trakt}`, { id: 0, action: 'start', progress: 10, updatedAt: Date.now() });
      await deploy(trackerIn({ incremental: false }));

      const ratings = await read(out, { payload: 'go', read: 'ratings' });
      expect(itemsOf(ratings.msgs).map((i) => `${keyOfItem(i)}=${i.rating}`).sort()).to.deep.equal([`${movieKey(5)}=7`, `${movieKey(6)}=9`]);
      expect(isComplete(ratings.msgs.at(-1)!)).to.equal(true);
      expect(ratings.status.text).to.equal(t('tracker-in.status.done', { count: 2, kind: 'ratings' }));

      const watchlist = await read(out, { payload: 'go', read: 'watchlist' });
      expect(itemsOf(watchlist.msgs).map(keyOfItem)).to.deep.equal([movieKey(7), movieKey(8)]);
      expect(itemsOf(watchlist.msgs)[0].listedAt).to.equal(at(8));

      const collection = await read(out, { payload: 'go', read: 'collection' });
      expect(itemsOf(collection.msgs).map(keyOfItem).sort()).to.deep.equal([episodeKey(2), movieKey(9)].sort());

      const watching = await read(out, { payload: 'go', read: 'watching' });
      expect(itemsOf(watching.msgs).map(keyOfItem)).to.deep.equal([`movie:${playing.title}`]);
      expect(itemsOf(watching.msgs)[0].action).to.equal('start');

      const stats = await read(out, { payload: 'go', read: 'stats' });
      expect(stats.msgs, 'one message: the stats object').to.have.lengthOf(1);
      const payload = stats.msgs[0].payload as { movies: { plays: number }; episodes: { plays: number }; ratings: { total: number } };
      expect(payload).to.be.an('object').and.not.an('array');
      expect(payload.movies.plays).to.equal(3);
      expect(payload.episodes.plays).to.equal(2);
      expect(payload.ratings.total).to.equal(2);

      const trending = await read(out, { payload: 'go', read: 'trending' });
      const hot = itemsOf(trending.msgs);
      expect(hot.filter((i) => i.type === 'movie')).to.have.lengthOf(Math.min(100, catalog.movies.length));
      expect(hot.filter((i) => i.type === 'show')).to.have.lengthOf(Math.min(100, catalog.shows.length));
      // The most played come first: each seeded movie has one play, the rest none.
      expect(
        hot
          .filter((i) => i.type === 'movie')
          .slice(0, 3)
          .map((i) => i.title),
      ).to.deep.equal([1, 2, 3].map((i) => catalog.movies[i].title));
      expect(out.err).to.deep.equal([]);
    });

    it('output "item": every item reaches the next node in its own message', async () => {
      seedHistory();
      await deploy(trackerIn({ output: 'item' }));
      const history = await read(out);
      const items = history.msgs.filter((m) => !isComplete(m));
      expect(items, 'five plays, five messages').to.have.lengthOf(5);
      for (const msg of items) expect(msg.payload, 'one item per message').to.be.an('object').and.not.an('array');
      expect(items.map((m) => keyOfItem(m.payload as ItemOut)).sort()).to.deep.equal([movieKey(1), movieKey(2), movieKey(3), episodeKey(0), episodeKey(1)].sort());
      expect(history.msgs.filter(isComplete)).to.have.lengthOf(1);
    });
  });

  describe('13. restart', () => {
    it('a restarted Node-RED keeps the mark: the next read asks only whether anything changed', async () => {
      seedHistory();
      await deploy(trackerIn());
      const first = await read(out);
      expect(itemsOf(first.msgs)).to.have.lengthOf(5);

      await helper.unload();
      await deploy(trackerIn(), { fresh: true });
      const requests = sb.state.requestLog.length;
      const again = await read(out);
      expect(again.msgs, 'no re-read after the restart').to.deep.equal([]);
      expect(again.status.text).to.equal(t('tracker-in.status.unchanged'));
      const made = traktRequests(sb).slice(requests);
      expect(made.filter((r) => r.startsWith('GET /sync/history')), made.join(', ')).to.deep.equal([]);
      expect(made).to.include('GET /sync/last_activities');
    });
  });

  describe('14. sync-history → ratings', () => {
    it('writes ratings once, skips them the second time, writes a changed one, and sends unrated items to output 2', async () => {
      await deploy(syncNode('ratings'));
      const rated = [
        { ...moviePlay(30, 1), rating: 8 },
        { ...moviePlay(31, 2), rating: 6 },
        { ...episodePlay(3, 3), rating: 9 },
      ];
      const posts = () => sb.state.requestLog.filter((e) => e.method === 'POST' && e.path === '/sync/ratings').length;
      const trakt = () => [...sb.state.ratings.values()].map((r) => `${r.type}:${r.traktId}=${r.rating}`).sort();
      const sync = async (payload: unknown): Promise<Summary> => {
        const before = out.out1.length;
        helper.getNode('n1').receive({ payload, complete: true } as NodeMessage);
        await until(() => out.out1.length > before, 'the summary');
        return summaryOf(out.out1.at(-1));
      };
      const m30 = catalog.movies[30].trakt;
      const m31 = catalog.movies[31].trakt;
      const e3 = episodeRef(3).episode.ids.trakt;

      expect(await sync(rated)).to.include({ added: 3, skipped: 0, failed: 0 });
      expect(trakt()).to.deep.equal([`episode:${e3}=9`, `movie:${m30}=8`, `movie:${m31}=6`]);
      expect(posts()).to.equal(1);

      const again = await sync(rated.map((i) => ({ ...i })));
      expect(again).to.include({ added: 0, skipped: 3 });
      expect(again.requests.writes, 'no write the second time').to.equal(0);
      expect(posts()).to.equal(1);

      const changed = await sync([{ ...rated[0], rating: 10 }, rated[1]]);
      expect(changed).to.include({ added: 1, skipped: 1 });
      expect(sb.state.ratings.get(listKey('movie', m30))?.rating).to.equal(10);
      expect(posts()).to.equal(2);

      const unrated = moviePlay(32, 4);
      const notRated = await sync([unrated]);
      expect(notRated).to.include({ added: 0, failed: 1 });
      await until(() => out.out2.length === 1, 'the unrated item on output 2');
      expect(out.out2[0].payload).to.deep.equal(unrated);
      expect(reasonOf(out.out2[0])).to.match(/rating/);
      expect(sb.state.ratings.has(listKey('movie', catalog.movies[32].trakt))).to.equal(false);
      expect(posts()).to.equal(2);
    });

    it('a rating changed back to an earlier value is written again', async () => {
      await deploy(syncNode('ratings'));
      const base = moviePlay(40, 1);
      const m40 = catalog.movies[40].trakt;
      for (const rating of [8, 9, 8]) {
        const before = out.out1.length;
        helper.getNode('n1').receive({ payload: [{ ...base, rating }], complete: true } as NodeMessage);
        await until(() => out.out1.length > before, `the summary for ${rating}`);
        expect(sb.state.ratings.get(listKey('movie', m40))?.rating, `Trakt shows the rating just sent (${rating})`).to.equal(rating);
      }
    });
  });

  describe('15. sync-history → watchlist', () => {
    it('puts items on the watchlist; over the account\'s limit (420) they leave on output 2 with a reason naming the limit', async () => {
      await deploy(syncNode('watchlist'));
      const wanted = [moviePlay(60, 1), moviePlay(61, 2)].map(({ watchedAt: _w, ...item }) => item);
      helper.getNode('n1').receive({ payload: wanted, complete: true } as NodeMessage);
      await until(() => out.out1.length === 1, 'the summary');
      expect(summaryOf(out.out1[0])).to.include({ added: 2, failed: 0 });
      expect([...sb.state.watchlist.values()].map((e) => e.traktId)).to.deep.equal([catalog.movies[60].trakt, catalog.movies[61].trakt]);
      expect(statusesOf(helper.getNode('n1')).at(-1)?.fill).to.equal('green');

      // A free account's limit on a second fake (3 items here): the next 2 do not fit.
      const small = await startSandbox({ watchlistLimit: 3 });
      try {
        await helper.unload();
        const smallCreds = authorizedCreds(small) as unknown as Record<string, string>;
        await loadFlow(flowWith({ id: 'n1', ...syncNode('watchlist') }, { id: 'cfg', type: 'clawarr-trakt-config', apiUrl: small.url }), { cfg: smallCreds });
        out = collect();
        const first = [moviePlay(70, 1), moviePlay(71, 2)].map(({ watchedAt: _w, ...item }) => item);
        helper.getNode('n1').receive({ payload: first, complete: true } as NodeMessage);
        await until(() => out.out1.length === 1, 'the first summary');
        const over = [moviePlay(72, 3), moviePlay(73, 4)].map(({ watchedAt: _w, ...item }) => item);
        helper.getNode('n1').receive({ payload: over, complete: true } as NodeMessage);
        await until(() => out.out2.length === 2, 'both items over the limit on output 2');
        expect(summaryOf(out.out1.at(-1))).to.include({ added: 0, failed: 2 });
        expect(out.out2.map((m) => m.payload)).to.deep.equal(over);
        for (const msg of out.out2) {
          expect(reasonOf(msg)).to.match(/limit/i);
          expect(reasonOf(msg), 'the limit itself').to.match(/\b420\b.*limit 3\b/);
        }
        expect(small.state.watchlist.size, 'nothing more on the watchlist').to.equal(2);
        expect(['yellow', 'red']).to.include(statusesOf(helper.getNode('n1')).at(-1)?.fill);
      } finally {
        await small.close();
      }
    });
  });
});

// ======================================================================== Simkl

describe('nodes: clawarr-tracker-in and sync-history lists with Simkl', function () {
  this.timeout(10_000);
  let sb: SimklSandbox;
  let out: Collected;
  let creds: Record<string, string>;

  useNodeRed();
  useSandbox(() => startSimklSandbox({ timeScale: 0.01, catalog: CATALOG }), (started) => (sb = started));
  beforeEach(() => {
    creds = simklCreds(sb);
  });

  async function deploy(node: FlowNode, fresh = false): Promise<void> {
    await loadFlow(flowWith(node, { id: 'cfg', type: 'clawarr-simkl-config', apiUrl: sb.url }), { cfg: creds }, { fresh });
    out = collect();
  }

  const allItems = (): string[] => simklRequests(sb).filter((r) => r.startsWith('GET /sync/all-items'));

  describe('12. history through Simkl\'s activities gate', () => {
    it('reads the history once in full, then never calls all-items without date_from again', async () => {
      simklMoviePlay(sb, 1, at(1));
      simklMoviePlay(sb, 2, at(2));
      ageSimklActivities(sb);
      await deploy(trackerIn({ types: 'movies' }));

      const first = await read(out);
      expect(itemsOf(first.msgs).map(keyOfItem).sort()).to.deep.equal([movieKey(1), movieKey(2)]);
      expect(isComplete(first.msgs.at(-1)!)).to.equal(true);
      // Simkl allows the first read of a list without date_from; that is the only one.
      const fullReads = sb.state.unGatedAllItems;
      expect(fullReads, 'the initial full read of the movies list').to.equal(1);

      const requests = sb.state.requestLog.length;
      const second = await read(out);
      expect(second.msgs).to.deep.equal([]);
      expect(second.status.text).to.equal(t('tracker-in.status.unchanged'));
      expect(simklRequests(sb).slice(requests), 'only the activities').to.deep.equal(['GET /sync/activities']);

      const watchedAt = minuteAgo(1);
      simklMoviePlay(sb, 3, watchedAt);
      const third = await read(out);
      expect(itemsOf(third.msgs).map((i) => `${keyOfItem(i)}@${new Date(i.watchedAt!).toISOString()}`), 'only the new play').to.deep.equal([`${movieKey(3)}@${watchedAt}`]);
      expect(sb.state.unGatedAllItems, 'no un-gated all-items call after the first read').to.equal(fullReads);

      // A restart keeps the mark too: still no un-gated call, nothing re-read.
      await helper.unload();
      await deploy(trackerIn({ types: 'movies' }), true);
      const before = allItems().length;
      const afterRestart = await read(out);
      expect(afterRestart.msgs).to.deep.equal([]);
      expect(allItems().length - before, 'no all-items call after a restart when nothing changed').to.equal(0);
      expect(sb.state.unGatedAllItems).to.equal(fullReads);
      expect(out.err).to.deep.equal([]);
    });

    it('"stats" is an error at a Catch node: Simkl cannot read stats', async () => {
      await deploy(trackerIn({ read: 'stats' }));
      const result = await read(out);
      expect(result.msgs).to.deep.equal([]);
      await until(() => out.err.length === 1, 'the error at the Catch node');
      expect(errorText(out.err[0])).to.include('Simkl cannot read stats');
      expect(result.status.fill).to.equal('red');
      expect(allItems()).to.deep.equal([]);
    });
  });

  describe('16. sync-history → collection', () => {
    it('every item leaves on output 2 with "Simkl has no collection"', async () => {
      await deploy(syncNode('collection'));
      const items = [moviePlay(1, 1), moviePlay(2, 2), episodePlay(0, 3)];
      helper.getNode('n1').receive({ payload: items, complete: true } as NodeMessage);
      await until(() => out.out2.length === 3, 'three items on output 2');
      expect(out.out2.map((m) => m.payload)).to.deep.equal(items);
      for (const msg of out.out2) expect(reasonOf(msg)).to.equal('Simkl has no collection');
      expect(simklRequests(sb).filter((r) => r.startsWith('POST'))).to.deep.equal([]);
      expect(statusesOf(helper.getNode('n1')).at(-1)?.fill).to.equal('red');
    });
  });
});
