// clawarr-tautulli-config and clawarr-tautulli-in in a Node-RED runtime against the fake Tautulli:
// the "Test connection" endpoint, incremental history reads (high-water mark, restarts, msg.since,
// filters), failures that must keep the mark, broken rows, and the webhook mode.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node, NodeMessage } from 'node-red';
import type { NewSitting, TautulliItem, TautulliSandbox } from '../sandbox';
import { addSecret, captureSurface, helper, keyOf, leakedSecrets, recordSurface, sleep, statusesOf, surfaceSize, useNodeRed, waitFor } from './harness';
import {
  closedPort,
  closeTautullis,
  cmdCalls,
  collect,
  errorText,
  groups,
  itemsByKey,
  itemsOf,
  lastStop,
  library,
  loadFlow,
  type MediaItemOut,
  read,
  readerState,
  startTautulli,
  TAUTULLI_KEY,
  tautulliCreds,
  tautulliFlow,
  type TautulliInOptions,
  watchedGroups,
  watchIntervals,
  WRONG_KEY,
  endMarkers,
} from './harness-tautulli';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as Record<string, unknown>;

addSecret(TAUTULLI_KEY);
addSecret(WRONG_KEY);

const refsOf = (items: MediaItemOut[]): string[] => items.map((i) => String(i.source?.ref)).sort();
const sortedRefs = (list: Array<{ ref: string }>): string[] => list.map((g) => g.ref).sort();

/** Plex-agent (plex://) items in the library: their ids come only from get_metadata. */
const plexMovie = library.items.find((i) => i.mediaType === 'movie' && i.guidKind === 'plex' && i.guids.length > 0)!;
const plexEpisode = library.items.find((i) => i.mediaType === 'episode' && i.guidKind === 'plex' && i.guids.length > 0)!;

/** Ids a guid list like ["imdb://tt…", "tmdb://123"] stands for. */
function guidIds(guids: string[]): Record<string, string | number> {
  const ids: Record<string, string | number> = {};
  for (const g of guids) {
    const [scheme, value] = g.split('://');
    if (!(scheme in ids)) ids[scheme] = scheme === 'imdb' ? value : Number(value);
  }
  return ids;
}

/**
 * Two new sittings after the history: bob's movie started before the last stop the reader saw
 * (playing while the previous read happened) and stopped after it; alice's episode entirely after.
 */
function newSittings(offset = 0): NewSitting[] {
  return [
    { ratingKey: plexMovie.ratingKey, user: 'bob', started: lastStop - 3000 + offset, stopped: lastStop + 600 + offset },
    { ratingKey: plexEpisode.ratingKey, user: 'alice', started: lastStop + 1200 + offset, stopped: lastStop + 4200 + offset },
  ];
}

describe('nodes: clawarr-tautulli-config and clawarr-tautulli-in', function () {
  this.timeout(20_000);
  useNodeRed();
  after(closeTautullis);

  it('the library has what the tests rely on', () => {
    expect(watchedGroups.length).to.be.within(280, 320);
    expect(new Set(library.expected.map((e) => e.user))).to.deep.equal(new Set(['alice', 'bob']));
    expect(plexMovie, 'a plex:// movie').to.be.an('object');
    expect(plexEpisode, 'a plex:// episode').to.be.an('object');
  });

  // -------------------------------------------------------------------------- test connection
  describe('tautulli-config: "Test connection" (POST /clawarr-tautulli-config/:id/test)', () => {
    let tz: TautulliSandbox;
    beforeEach(async () => {
      tz = await startTautulli();
      await loadFlow([{ id: 'tz', type: 'clawarr-tautulli-config', url: tz.url }], tautulliCreds());
    });

    async function test(body: Record<string, unknown>, id = 'new-config'): Promise<{ status: number; body: { ok?: boolean; message?: string }; text: string }> {
      const res = await helper.request().post(`/clawarr-tautulli-config/${id}/test`).send(body);
      recordSurface(res.text);
      return { status: res.status, body: res.body as { ok?: boolean; message?: string }, text: res.text };
    }

    it('answers ok with the version and the number of plays', async () => {
      const res = await test({ url: tz.url, apiKey: TAUTULLI_KEY });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.equal({ ok: true, message: `Tautulli v2.17.2, ${tz.state.rows.length} plays` });
    });

    it('a wrong key: 502 with a sentence about the API key, and no key in the answer', async () => {
      const res = await test({ url: tz.url, apiKey: WRONG_KEY });
      expect(res.status).to.equal(502);
      expect(res.body.ok).to.equal(false);
      expect(res.body.message).to.match(/API key/).and.match(/Settings/);
      expect(res.text).not.to.include(WRONG_KEY);
      expect(res.text).not.to.include(TAUTULLI_KEY);
    });

    it('the API turned off in Tautulli: a sentence about enabling it', async () => {
      (tz.state.options as { apiEnabled: boolean }).apiEnabled = false;
      const res = await test({ url: tz.url, apiKey: TAUTULLI_KEY });
      expect(res.status).to.equal(502);
      expect(res.body.ok).to.equal(false);
      expect(res.body.message).to.match(/API/).and.match(/enable/i);
      expect(res.text).not.to.include(TAUTULLI_KEY);
    });

    it('a URL that answers with a web page (wrong HTTP root, or a login page): says so', async () => {
      const wrongRoot = await test({ url: `${tz.url}/tautulli`, apiKey: TAUTULLI_KEY });
      expect(wrongRoot.status).to.equal(502);
      expect(wrongRoot.body.message).to.match(/web page/);
      tz.state.faults.htmlNext = 1;
      const login = await test({ url: tz.url, apiKey: TAUTULLI_KEY });
      expect(login.status).to.equal(502);
      expect(login.body).to.include({ ok: false });
      expect(login.body.message).to.match(/web page/);
      expect(wrongRoot.text + login.text).not.to.include(TAUTULLI_KEY);
    });

    it('Tautulli down: "not reachable"', async () => {
      const port = await closedPort();
      const res = await test({ url: `http://127.0.0.1:${port}`, apiKey: TAUTULLI_KEY });
      expect(res.status).to.equal(502);
      expect(res.body.ok).to.equal(false);
      expect(res.body.message).to.match(/not reachable/).and.include(String(port));
      expect(res.text).not.to.include(TAUTULLI_KEY);
    });

    it('a missing URL or key: 400 without asking Tautulli', async () => {
      const noUrl = await test({ apiKey: TAUTULLI_KEY });
      expect(noUrl.status).to.equal(400);
      expect(noUrl.body).to.deep.equal({ ok: false, message: 'tautulli-config.errors.missingUrl' });
      const noKey = await test({ url: tz.url });
      expect(noKey.status).to.equal(400);
      expect(noKey.body).to.deep.equal({ ok: false, message: 'tautulli-config.errors.missingKey' });
      const badUrl = await test({ url: 'ftp://nas:8181', apiKey: TAUTULLI_KEY });
      expect(badUrl.status).to.equal(400);
      expect(badUrl.body.message).to.equal('tautulli-config.errors.badUrl');
      expect(tz.state.requestLog, 'requests to Tautulli').to.have.lengthOf(0);
    });

    it('"__PWRD__" (the editor\'s placeholder for an unchanged key) uses the deployed node\'s saved key', async () => {
      const withUrl = await test({ url: tz.url, apiKey: '__PWRD__' }, 'tz');
      expect(withUrl.status, withUrl.text).to.equal(200);
      expect(withUrl.body.ok).to.equal(true);
      // No URL in the form either: the deployed node's URL.
      const deployed = await test({ apiKey: '__PWRD__' }, 'tz');
      expect(deployed.status, deployed.text).to.equal(200);
      expect(deployed.body.message).to.match(/^Tautulli v2\.17\.2, \d+ plays$/);
      // A node that was never deployed has no saved key.
      const undeployed = await test({ url: tz.url, apiKey: '__PWRD__' }, 'never-deployed');
      expect(undeployed.status).to.equal(400);
      expect(undeployed.body.message).to.equal('tautulli-config.errors.missingKey');
      expect(tz.state.requestLog.filter((r) => r.status === 400), 'no request with the literal placeholder').to.have.lengthOf(0);
    });
  });

  // -------------------------------------------------------------------------- history mode
  describe('tautulli-in: history', () => {
    let tz: TautulliSandbox;
    let out: Record<'out' | 'err', NodeMessage[]>;

    beforeEach(async () => {
      tz = await startTautulli();
    });

    async function deploy(options: TautulliInOptions = {}, extra: { url?: string; apiKey?: string; fresh?: boolean } = {}): Promise<void> {
      await loadFlow(tautulliFlow(extra.url ?? tz.url, options), tautulliCreds(extra.apiKey), { fresh: extra.fresh });
      out = collect('out', 'err');
    }

    /** Unloads the flow (a stop or redeploy) after recording what it showed. */
    async function stop(): Promise<void> {
      captureSurface();
      await helper.unload();
    }

    const inNode = (): Node => helper.getNode('in') as Node;
    const lastStatus = () => statusesOf(inNode()).at(-1);

    it('1. the first read reads the whole history: pages of plays, one get_metadata per plex:// item', async () => {
      await deploy();
      expect(await read('in')).to.equal('tautulli-in.status.done');
      expect(out.err.map(errorText), 'errors').to.deep.equal([]);
      expect(out.out.length).to.be.at.least(1);
      for (const msg of out.out) {
        expect(msg.payload, 'a page is an array of media items').to.be.an('array').with.length.above(0);
        const page = (msg as { page?: { done?: number; total?: number } }).page;
        expect(page).to.be.an('object');
        expect(page!.done).to.be.a('number').and.be.at.most(page!.total!);
      }
      expect((out.out.at(-1) as { page?: { done: number; total: number } }).page).to.deep.equal({ done: groups.length, total: groups.length });
      // The read ends with one empty message carrying msg.complete (sync-history flushes, csv-export finishes).
      expect(endMarkers.out, 'end-of-read markers').to.equal(1);

      const items = itemsOf(out.out);
      expect(items, 'one item per watched play').to.have.lengthOf(watchedGroups.length);
      expect(refsOf(items), 'exactly the watched plays').to.deep.equal(sortedRefs(watchedGroups));
      const byRef = new Map(items.map((i) => [String(i.source?.ref), i]));
      for (const g of watchedGroups) {
        const item = byRef.get(g.ref)!;
        expect(item.source).to.deep.equal({ kind: 'tautulli', ref: g.ref, user: g.user });
        expect(item.watchedAt).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(item.watchedAt).to.equal(new Date(g.stopped * 1000).toISOString());
        expect(item.type).to.equal(g.item.mediaType);
        if (item.type === 'episode') {
          expect(item.season, `season of ${g.ref}`).to.equal(g.item.parentIndex);
          expect(item.episode, `episode of ${g.ref}`).to.equal(g.item.index);
          expect(item.show?.title ?? item.show?.ids, `show of ${g.ref}`).to.not.equal(undefined);
        } else {
          expect(item.title).to.equal(g.item.title);
        }
        if (g.item.guidKind === 'plex') {
          // Ids that only get_metadata knows.
          if (item.type === 'movie') expect(item.ids, `ids of plex movie ${g.ref}`).to.include(guidIds(g.item.guids));
          else {
            const show = itemsByKey.get(g.item.grandparentRatingKey as number)!;
            expect(item.ids, `ids of plex episode ${g.ref}`).to.include(guidIds(g.item.guids));
            expect(item.show?.ids, `show ids of plex episode ${g.ref}`).to.include(guidIds(show.guids));
          }
        }
      }
      const plexKeys = new Set(watchedGroups.filter((g) => g.item.guidKind === 'plex').map((g) => String(g.item.ratingKey)));
      expect(new Set(tz.state.metadataCalls.keys()), 'get_metadata exactly for the plex:// items').to.deep.equal(plexKeys);
      expect([...tz.state.metadataCalls.values()].every((n) => n === 1), 'at most one get_metadata per rating key').to.equal(true);
      expect(keyOf(lastStatus()?.text)).to.equal('tautulli-in.status.done');
      expect(lastStatus()?.text).to.include(`"count":${watchedGroups.length}`);
    });

    it('2. a second read sends nothing; new plays (one started before the last read) come out exactly once', async () => {
      await deploy();
      await read('in');
      const pages = out.out.length;
      tz.state.reset();

      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(out.out.length, 'no message').to.equal(pages);
      expect(lastStatus()).to.include({ text: 'tautulli-in.status.none' });
      expect(cmdCalls(tz, 'get_history'), 'one get_history').to.equal(1);
      expect(cmdCalls(tz, 'get_metadata'), 'no get_metadata').to.equal(0);

      const added = tz.state.addPlays(newSittings());
      expect(await read('in')).to.equal('tautulli-in.status.done');
      const fresh = itemsOf(out.out.slice(pages));
      expect(refsOf(fresh)).to.deep.equal(added.map((s) => String(s.referenceId)).sort());
      const movie = fresh.find((i) => i.type === 'movie')!;
      expect(movie).to.deep.include({ title: plexMovie.title, watchedAt: new Date((lastStop + 600) * 1000).toISOString(), source: { kind: 'tautulli', ref: String(added[0].id), user: 'bob' } });
      expect(movie.ids).to.include(guidIds(plexMovie.guids));
      const episode = fresh.find((i) => i.type === 'episode')!;
      expect(episode).to.deep.include({ season: plexEpisode.parentIndex, episode: plexEpisode.index, source: { kind: 'tautulli', ref: String(added[1].id), user: 'alice' } });

      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(itemsOf(out.out.slice(pages)), 'nothing twice').to.have.lengthOf(2);
      expect(out.err).to.have.lengthOf(0);
    });

    it('2. a sitting paused overnight on a Tautulli in California (UTC-8), finished after the last read, is not skipped', async () => {
      await closeTautullis();
      tz = await startTautulli({ timezoneOffsetMinutes: -480 });
      await deploy();
      await read('in');
      // A UTC midnight a few days after the history: the mark lands just after it.
      const midnight = (Math.floor(lastStop / 86_400) + 3) * 86_400;
      const [evening] = tz.state.addPlays([{ ratingKey: plexEpisode.ratingKey, user: 'alice', started: midnight - 2400, stopped: midnight + 600 }]);
      expect(await read('in')).to.equal('tautulli-in.status.done');
      const pages = out.out.length;
      // Bob started a film at 23:00 local the evening before (07:00 UTC), paused it for the night,
      // and finished it at 17:00 local, after alice's play was read.
      const [film] = tz.state.addPlays([{ ratingKey: plexMovie.ratingKey, user: 'bob', started: midnight - 17 * 3600, stopped: midnight + 3600 }]);
      expect(film.started).to.be.below(evening.stopped);
      expect(await read('in')).to.equal('tautulli-in.status.done');
      expect(refsOf(itemsOf(out.out.slice(pages))), "bob's film").to.deep.equal([String(film.id)]);
    });

    it('2. a play watched in two sittings across two reads comes out once, when it is finished', async () => {
      await deploy();
      await read('in');
      const pages = out.out.length;
      const [first] = tz.state.addPlays([{ ratingKey: plexMovie.ratingKey, user: 'alice', started: lastStop + 100, stopped: lastStop + 1900, percent: 40 }]);
      expect(await read('in'), 'a sitting at 40 % is not a play yet').to.equal('tautulli-in.status.none');
      const [second] = tz.state.addPlays([{ ratingKey: plexMovie.ratingKey, user: 'alice', started: lastStop + 5000, stopped: lastStop + 8000, percent: 96 }]);
      expect(second.referenceId, 'Tautulli groups the second sitting into the first').to.equal(first.id);
      expect(await read('in')).to.equal('tautulli-in.status.done');
      const fresh = itemsOf(out.out.slice(pages));
      expect(fresh).to.have.lengthOf(1);
      expect(fresh[0]).to.deep.include({ type: 'movie', watchedAt: new Date((lastStop + 8000) * 1000).toISOString(), source: { kind: 'tautulli', ref: String(first.id), user: 'alice' } });
      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(out.err).to.have.lengthOf(0);
    });

    it('2. with "at least 50 %", a half-watched play comes out and its continuation does not come out again', async () => {
      await deploy({ minWatched: '50' });
      await read('in');
      const pages = out.out.length;
      const [first] = tz.state.addPlays([{ ratingKey: plexMovie.ratingKey, user: 'bob', started: lastStop + 100, stopped: lastStop + 3000, percent: 60 }]);
      expect(await read('in')).to.equal('tautulli-in.status.done');
      expect(refsOf(itemsOf(out.out.slice(pages)))).to.deep.equal([String(first.id)]);
      const [second] = tz.state.addPlays([{ ratingKey: plexMovie.ratingKey, user: 'bob', started: lastStop + 7000, stopped: lastStop + 9000, percent: 97 }]);
      expect(second.referenceId).to.equal(first.id);
      expect(await read('in'), 'the continuation is the same play').to.equal('tautulli-in.status.none');
      expect(itemsOf(out.out.slice(pages))).to.have.lengthOf(1);
    });

    it('3. a restart (fresh modules, same state dir) neither re-reads nor skips', async () => {
      await deploy();
      await read('in');
      expect(itemsOf(out.out)).to.have.lengthOf(watchedGroups.length);
      await stop();

      // Plays that happen while Node-RED is down.
      const added = tz.state.addPlays(newSittings());
      tz.state.reset();
      await deploy({}, { fresh: true });
      expect(await read('in')).to.equal('tautulli-in.status.done');
      expect(refsOf(itemsOf(out.out))).to.deep.equal(added.map((s) => String(s.referenceId)).sort());
      expect(cmdCalls(tz, 'get_metadata'), 'the metadata cache survived the restart').to.equal(0);

      await stop();
      await deploy({}, { fresh: true });
      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(out.out).to.have.lengthOf(0);
      expect(out.err).to.have.lengthOf(0);
    });

    it('4. msg.since (an ISO date) reads again from that date', async () => {
      await deploy();
      await read('in');
      const before = out.out.length;
      const stops = [...new Set(watchedGroups.map((g) => g.stopped))].sort((a, b) => a - b);
      const cut = Math.round((stops[200] + stops[201]) / 2);
      const since = new Date(cut * 1000).toISOString();
      const wanted = watchedGroups.filter((g) => g.stopped >= cut);
      expect(wanted.length).to.be.within(50, watchedGroups.length - 150);

      expect(await read('in', { payload: 'again', since })).to.equal('tautulli-in.status.done');
      const again = itemsOf(out.out.slice(before));
      expect(refsOf(again)).to.deep.equal(sortedRefs(wanted));
      expect((out.out.at(-1) as { since?: string }).since, 'the trigger message travels along').to.equal(since);

      // The re-read does not move the mark back: the next plain read finds nothing new.
      const afterSince = out.out.length;
      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(out.out.length).to.equal(afterSince);
    });

    it('5. filters: users, media types, and one message per play', async () => {
      const flow = [
        { id: 'f1', type: 'tab' },
        { id: 'tz', type: 'clawarr-tautulli-config', url: tz.url },
        { id: 'inAlice', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', plexUsers: 'alice', wires: [['outAlice']] },
        // A flow written by hand with the old property name still filters.
        { id: 'inBob', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', users: 'bob', wires: [['outBob']] },
        { id: 'outBob', type: 'helper', z: 'f1' },
        { id: 'inMovies', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', mediaTypes: 'movie', wires: [['outMovies']] },
        { id: 'inItems', type: 'clawarr-tautulli-in', z: 'f1', server: 'tz', mode: 'history', output: 'item', wires: [['outItems']] },
        { id: 'outAlice', type: 'helper', z: 'f1' },
        { id: 'outMovies', type: 'helper', z: 'f1' },
        { id: 'outItems', type: 'helper', z: 'f1' },
        { id: 'c1', type: 'catch', z: 'f1', scope: null, wires: [['err']] },
        { id: 'err', type: 'helper', z: 'f1' },
      ];
      await loadFlow(flow, tautulliCreds());
      const got = collect('outAlice', 'outBob', 'outMovies', 'outItems', 'err');
      await Promise.all([read('inAlice'), read('inBob'), read('inMovies'), read('inItems')]);
      await sleep(50);

      const alice = itemsOf(got.outAlice);
      expect(refsOf(alice)).to.deep.equal(sortedRefs(watchedGroups.filter((g) => g.user === 'alice')));
      expect(alice.every((i) => i.source?.user === 'alice')).to.equal(true);
      expect(refsOf(itemsOf(got.outBob))).to.deep.equal(sortedRefs(watchedGroups.filter((g) => g.user === 'bob')));

      const movies = itemsOf(got.outMovies);
      expect(refsOf(movies)).to.deep.equal(sortedRefs(watchedGroups.filter((g) => g.item.mediaType === 'movie')));
      expect(movies.every((i) => i.type === 'movie')).to.equal(true);

      expect(got.outItems, 'one message per play').to.have.lengthOf(watchedGroups.length);
      for (const msg of got.outItems) {
        expect(msg.payload).to.be.an('object').and.not.be.an('array');
        expect((msg.payload as MediaItemOut).source?.kind).to.equal('tautulli');
        expect((msg as { page?: unknown }).page).to.be.an('object');
      }
      expect(refsOf(itemsOf(got.outItems))).to.deep.equal(sortedRefs(watchedGroups));
      expect(got.err).to.have.lengthOf(0);
    });

    // ---------------------------------------------------------------- failures keep the mark
    interface FailureCase {
      name: string;
      message: RegExp;
      breakIt(): Promise<void>;
      fixIt(): Promise<void>;
    }

    const redeploy = async (extra: { url?: string; apiKey?: string }): Promise<void> => {
      await stop();
      await deploy({}, extra);
    };

    const cases: FailureCase[] = [
      {
        name: 'Tautulli down',
        message: /not reachable/,
        breakIt: async () => redeploy({ url: `http://127.0.0.1:${await closedPort()}` }),
        fixIt: async () => redeploy({}),
      },
      {
        name: 'a wrong API key',
        message: /API key/,
        breakIt: async () => redeploy({ apiKey: WRONG_KEY }),
        fixIt: async () => redeploy({}),
      },
      {
        name: 'the API turned off',
        message: /API.*(turned off|enable)/i,
        breakIt: async () => void ((tz.state.options as { apiEnabled: boolean }).apiEnabled = false),
        fixIt: async () => void ((tz.state.options as { apiEnabled: boolean }).apiEnabled = true),
      },
      {
        name: 'a web page instead of the API',
        message: /web page/,
        breakIt: async () => void (tz.state.faults.htmlNext = 100),
        fixIt: async () => void (tz.state.faults.htmlNext = 0),
      },
      {
        name: 'HTTP 500 on every try',
        message: /internal error/,
        breakIt: async () => void (tz.state.faults.status500Next = 100),
        fixIt: async () => void (tz.state.faults.status500Next = 0),
      },
    ];

    for (const c of cases) {
      it(`6. ${c.name}: a clear error at the Catch node, red status, no output, and the mark kept`, async () => {
        await deploy();
        await read('in');
        expect(itemsOf(out.out)).to.have.lengthOf(watchedGroups.length);
        const added = tz.state.addPlays(newSittings());
        const mark = readerState();
        expect(mark).to.include(`"hwm":${lastStop}`);

        await c.breakIt();
        const pagesBefore = out.out.length;
        expect(await read('in', { payload: 'go' }, 15_000)).to.equal('tautulli-in.status.error');
        await waitFor(() => out.err.length >= 1, 'the error at the Catch node');
        await sleep(30);
        expect(out.err, 'one error').to.have.lengthOf(1);
        const message = errorText(out.err[0]);
        expect(message).to.match(c.message);
        expect(message).not.to.include(TAUTULLI_KEY);
        expect(message).not.to.include(WRONG_KEY);
        const status = statusesOf(inNode()).at(-1)!;
        expect(status).to.include({ fill: 'red' });
        expect(keyOf(status.text)).to.equal('tautulli-in.status.error');
        expect(out.out.length, 'no output').to.equal(pagesBefore);
        expect(readerState(), 'the high-water mark is kept').to.equal(mark);

        await c.fixIt();
        const fixedFrom = out.out.length;
        expect(await read('in')).to.equal('tautulli-in.status.done');
        expect(refsOf(itemsOf(out.out.slice(fixedFrom))), 'exactly the new plays').to.deep.equal(added.map((s) => String(s.referenceId)).sort());
        const errorsNow = out.err.length;
        expect(await read('in')).to.equal('tautulli-in.status.none');
        expect(out.out.length - fixedFrom, 'nothing twice').to.equal(1);
        expect(out.err.length).to.equal(errorsNow);
      });
    }

    it('6. a row that cannot be a play (no title): an error for it, the other rows still come out', async () => {
      await deploy();
      await read('in');
      const pages = out.out.length;
      const broken: TautulliItem = { ...plexMovie, ratingKey: 99_001, title: '', originalTitle: '', guid: 'local://99001', guids: [], guidKind: 'local', trakt: null };
      tz.state.items.set(broken.ratingKey, broken);
      const [bad, good] = tz.state.addPlays([
        { ratingKey: broken.ratingKey, user: 'alice', started: lastStop + 100, stopped: lastStop + 5000 },
        { ratingKey: plexMovie.ratingKey, user: 'bob', started: lastStop + 200, stopped: lastStop + 6000 },
      ]);

      expect(await read('in')).to.equal('tautulli-in.status.done');
      await waitFor(() => out.err.length >= 1, 'the error for the broken row');
      await sleep(30);
      expect(out.err).to.have.lengthOf(1);
      const message = errorText(out.err[0]);
      expect(keyOf(message)).to.equal('tautulli-in.errors.badRow');
      expect(message).to.include(`row ${bad.id}`).and.match(/no title/);
      expect(refsOf(itemsOf(out.out.slice(pages)))).to.deep.equal([String(good.id)]);

      expect(await read('in')).to.equal('tautulli-in.status.none');
      expect(out.err, 'the broken row is reported once').to.have.lengthOf(1);
    });

    it('6. a config node without an API key: a clear error, no request', async () => {
      await loadFlow(tautulliFlow(tz.url), {});
      out = collect('out', 'err');
      expect(await read('in')).to.equal('tautulli-in.status.error');
      await waitFor(() => out.err.length === 1, 'the error at the Catch node');
      expect(errorText(out.err[0])).to.equal('tautulli-config.errors.missingKey');
      expect(tz.state.requestLog).to.have.lengthOf(0);
    });

    it('stopping or redeploying the flow releases the Tautulli client: no timer keeps running (nor after "Test connection")', async () => {
      const intervals = watchIntervals();
      try {
        await deploy();
        expect(await read('in')).to.equal('tautulli-in.status.done');
        const res = await helper.request().post('/clawarr-tautulli-config/tz/test').send({ url: tz.url, apiKey: TAUTULLI_KEY });
        expect(res.status).to.equal(200);
        await stop();
        await sleep(100);
      } finally {
        intervals.restore();
      }
      expect(intervals.stillRunning(), 'intervals still running after the flow stopped').to.deep.equal([]);
    });

    // ---------------------------------------------------------------- webhook mode
    describe('7. webhook mode', () => {
      beforeEach(async () => {
        await deploy({ mode: 'webhook' });
      });

      async function hook(payload: unknown): Promise<{ item?: MediaItemOut; error?: string }> {
        const outs = out.out.length;
        const errs = out.err.length;
        inNode().receive({ payload } as NodeMessage);
        await waitFor(() => out.out.length > outs || out.err.length > errs, 'the webhook to be handled');
        await sleep(20);
        expect(out.out.length - outs + out.err.length - errs, 'exactly one message or error').to.equal(1);
        return out.out.length > outs ? { item: out.out.at(-1)!.payload as MediaItemOut } : { error: errorText(out.err.at(-1)!) };
      }

      const episodeBody = fixture('tautulli/webhook_posted_body_episode.json');
      const movieBody = (action: string): Record<string, unknown> => ({
        ...episodeBody,
        action,
        media_type: 'movie',
        title: 'Inception',
        show_name: '',
        season_num: '',
        episode_num: '',
        year: '2010',
        imdb_id: 'tt1375666',
        tmdb_id: '27205',
        tvdb_id: '',
        guid: 'plex://movie/5d7768ba96b655001fdc0408',
        rating_key: '54321',
        progress_percent: '37',
        user: 'alice',
        user_id: '2',
      });

      it('Tautulli "watched" (episode sample): one play with watchedAt and no action', async () => {
        const { item, error } = await hook(episodeBody);
        expect(error).to.equal(undefined);
        expect(item).to.deep.include({
          type: 'episode',
          title: 'The Red Woman',
          season: 6,
          episode: 1,
          watchedAt: '2024-06-02T18:45:00.123Z',
          source: { kind: 'tautulli', ref: '153037', user: 'DanyKhaleesi69' },
        });
        expect(item!.show).to.deep.include({ title: 'Game of Thrones' });
        expect(item!.show!.ids).to.include({ imdb: 'tt0944947', tmdb: 1399, tvdb: 121361 });
        expect(item).not.to.have.property('action');
        expect(keyOf(statusesOf(inNode()).at(-1)?.text)).to.equal('tautulli-in.status.event');
      });

      it('Tautulli play / pause / stop of a movie: playback events with action and progress', async () => {
        for (const [action, expected] of [['play', 'start'], ['pause', 'pause'], ['stop', 'stop'], ['resume', 'start']] as const) {
          const { item, error } = await hook(movieBody(action));
          expect(error, action).to.equal(undefined);
          expect(item, action).to.deep.include({ type: 'movie', title: 'Inception', year: 2010, action: expected, progress: 37, source: { kind: 'tautulli', ref: '54321', user: 'alice' } });
          expect(item!.ids).to.include({ imdb: 'tt1375666', tmdb: 27205 });
          expect(item, action).not.to.have.property('watchedAt');
        }
      });

      it('Plex samples, as an object and as the multipart "payload" field (a JSON string)', async () => {
        const play = fixture('plex/webhook_media_play_movie_legacy_agent.payload.json');
        const scrobble = fixture('plex/webhook_media_scrobble_episode.payload.json');
        for (const payload of [play, { payload: JSON.stringify(play) }]) {
          const { item, error } = await hook(payload);
          expect(error).to.equal(undefined);
          expect(item).to.deep.include({ type: 'movie', title: 'Léon: The Professional', year: 1994, action: 'start', source: { kind: 'plex', ref: '2210', user: 'Anna' } });
          expect(item!.ids).to.include({ imdb: 'tt0110413' });
        }
        for (const payload of [scrobble, { payload: JSON.stringify(scrobble) }]) {
          const started = Date.now();
          const { item, error } = await hook(payload);
          expect(error).to.equal(undefined);
          expect(item).to.deep.include({ type: 'episode', title: 'The Red Woman', season: 6, episode: 1, source: { kind: 'plex', ref: '153037', user: 'elan' } });
          expect(item!.show).to.deep.include({ title: 'Game of Thrones' });
          expect(item!.ids).to.include({ imdb: 'tt3658014', tmdb: 1156503, tvdb: 5469015 });
          expect(item).not.to.have.property('action');
          expect(Date.parse(String(item!.watchedAt))).to.be.within(started - 1000, Date.now() + 1000);
        }
      });

      it('garbage: an error at the Catch node, no output', async () => {
        const garbage: unknown[] = ['this is not json', { hello: 'world' }, { payload: '{"event": "media.play", broken' }, { ...movieBody('play'), media_type: 'track' }, { ...episodeBody, action: 'watched', watched_at: 'yesterday' }, 42];
        for (const payload of garbage) {
          const { item, error } = await hook(payload);
          expect(item, JSON.stringify(payload)).to.equal(undefined);
          expect(keyOf(error), JSON.stringify(payload)).to.equal('tautulli-in.errors.badWebhook');
          expect(error, JSON.stringify(payload)).to.match(/"reason":"\S/);
        }
        expect(out.out).to.have.lengthOf(0);
      });
    });
  });

  // -------------------------------------------------------------------------- secrets
  describe('13. secrets', () => {
    it('no status, message, error or admin answer showed the Tautulli API key (right or wrong)', async () => {
      const tz = await startTautulli();
      await loadFlow(tautulliFlow(tz.url), tautulliCreds(WRONG_KEY));
      const out = collect('out', 'err');
      expect(await read('in')).to.equal('tautulli-in.status.error');
      await waitFor(() => out.err.length === 1, 'the error');
      captureSurface();
      expect(surfaceSize()).to.be.above(50);
      expect(leakedSecrets()).to.deep.equal([]);
    });
  });
});
