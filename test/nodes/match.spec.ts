// clawarr-match in a Node-RED runtime against the fake Trakt (its catalog has remakes, accented
// titles and same-name shows): pass-through, title search, the ID cache across restarts, overrides,
// tracker failures, invalid items and secrets.
import { expect } from 'chai';
import type { Node, NodeMessage } from 'node-red';
import type { TraktSandbox } from '../sandbox';
import {
  addSecret,
  authorizedCreds,
  captureSurface,
  CLIENT_ID,
  CLIENT_SECRET,
  type Creds,
  errorsOf,
  helper,
  keyOf,
  leakedSecrets,
  sleep,
  startSandbox,
  statusesOf,
  useNodeRed,
  useSandbox,
  waitFor,
} from './harness';
import { collect, errorText, loadFlow, matchFlow, type MatchOptions, type MediaItemOut, watchIntervals } from './harness-tautulli';

interface Unmatched extends NodeMessage {
  reason?: string;
  candidates?: unknown;
}

const LION_KING_2019 = { trakt: 9000006, slug: 'the-lion-king-2019', imdb: 'tt6105098', tmdb: 420818 };
const AMELIE = { trakt: 9000011, imdb: 'tt0211915', tmdb: 194 };
const OFFICE_US = { trakt: 9100003, slug: 'the-office-2005', imdb: 'tt0386676', tmdb: 2316, tvdb: 73244 };

const lionKing = { type: 'movie', title: 'The Lion King', year: 2019, watchedAt: '2024-03-01T20:00:00.000Z' };
const amelie = { type: 'movie', title: 'Amelie', year: 2001, watchedAt: '2024-03-02T20:00:00.000Z' };
const officeEpisode = { type: 'episode', title: 'Diversity Day', season: 1, episode: 2, show: { title: 'The Office (US)' }, watchedAt: '2024-03-03T20:00:00.000Z' };
const homeVideo = { type: 'movie', title: 'Home Video', year: 2019, watchedAt: '2024-03-04T20:00:00.000Z' };
const dune = { type: 'movie', title: 'Dune', watchedAt: '2024-03-05T20:00:00.000Z' };

const searches = (sb: TraktSandbox): number => sb.state.requestLog.filter((r) => r.method === 'GET' && r.path.startsWith('/search/')).length;

describe('nodes: clawarr-match', function () {
  this.timeout(10_000);
  let sb: TraktSandbox;
  let out: Record<'out1' | 'out2' | 'err', NodeMessage[]>;

  useNodeRed();
  useSandbox(startSandbox, (started) => (sb = started));

  async function deploy(options: MatchOptions = {}, extra: { fresh?: boolean; apiUrl?: string; creds?: Creds } = {}): Promise<void> {
    await loadFlow(matchFlow(extra.apiUrl ?? sb.url, options), { tc: extra.creds ?? authorizedCreds(sb) }, { fresh: extra.fresh });
    out = collect('out1', 'out2', 'err');
  }

  const matchNode = (): Node => helper.getNode('m') as Node;

  /** Sends one message and waits until match reports its result (a done, or an error status). */
  async function match(payload: unknown): Promise<void> {
    const node = matchNode();
    const before = statusesOf(node).length;
    node.receive({ payload, topic: 'plays' } as NodeMessage);
    await waitFor(() => statusesOf(node).slice(before).some((s) => ['match.status.done', 'match.status.error'].includes(keyOf(s.text))), 'match to finish');
    await sleep(40);
  }

  const idsOf = (msg: NodeMessage): MediaItemOut[] => (Array.isArray(msg.payload) ? msg.payload : [msg.payload]) as MediaItemOut[];

  it('8. items with ids Trakt accepts pass through untouched, without a single request; an array stays one array', async () => {
    await deploy();
    const items = [
      { type: 'movie', title: 'Inception', year: 2010, ids: { imdb: 'tt1375666' }, watchedAt: '2024-01-01T10:00:00.000Z' },
      { type: 'episode', season: 6, episode: 1, show: { title: 'Game of Thrones', ids: { tvdb: 121361 } }, watchedAt: '2024-01-01T11:00:00.000Z' },
      { type: 'episode', title: 'Home', ids: { tvdb: 5600001 }, season: 6, episode: 2, show: { title: 'Game of Thrones' } },
      { type: 'show', title: 'Cowboy Bebop', ids: { trakt: 9100006 } },
      { type: 'movie', title: 'Dune', ids: { tmdb: 438631 } },
    ];
    const requests = sb.state.requestLog.length;
    await match(items);
    expect(out.out1, 'one message on output 1').to.have.lengthOf(1);
    expect(out.out1[0].payload).to.deep.equal(items);
    expect(out.out1[0].topic).to.equal('plays');
    expect(out.out2).to.have.lengthOf(0);
    expect(out.err).to.have.lengthOf(0);
    expect(sb.state.requestLog.length - requests, 'requests to Trakt').to.equal(0);

    // One item in, one item (not an array) out.
    await match(items[0]);
    expect(out.out1).to.have.lengthOf(2);
    expect(out.out1[1].payload).to.deep.equal(items[0]);
    expect(sb.state.requestLog.length - requests).to.equal(0);
    expect(keyOf(statusesOf(matchNode()).at(-1)?.text)).to.equal('match.status.done');
  });

  it('9. title-only items: remakes by year, accents, same-name shows; the rest leaves on output 2 with the reason and candidates', async () => {
    await deploy();
    await match([lionKing, amelie, officeEpisode, homeVideo, dune]);
    expect(out.err.map(errorText), 'errors').to.deep.equal([]);
    expect(out.out1).to.have.lengthOf(1);
    const [lion, ame, office] = idsOf(out.out1[0]);
    expect(idsOf(out.out1[0])).to.have.lengthOf(3);
    expect(lion).to.deep.include({ type: 'movie', title: 'The Lion King', year: 2019, watchedAt: lionKing.watchedAt });
    expect(lion.ids).to.include(LION_KING_2019);
    expect(ame).to.deep.include({ type: 'movie', title: 'Amelie', year: 2001 });
    expect(ame.ids).to.include(AMELIE);
    expect(office).to.deep.include({ type: 'episode', title: 'Diversity Day', season: 1, episode: 2, watchedAt: officeEpisode.watchedAt });
    expect(office.show?.ids).to.include(OFFICE_US);

    expect(out.out2).to.have.lengthOf(2);
    const [home, duneOut] = out.out2 as Unmatched[];
    expect(home.payload).to.deep.equal(homeVideo);
    expect(home.reason).to.be.a('string').and.include('Home Video');
    expect(home.candidates).to.be.an('array');
    expect(home.topic).to.equal('plays');
    expect(duneOut.payload).to.deep.equal(dune);
    expect(duneOut.reason).to.match(/ambiguous/).and.match(/year/);
    expect(duneOut.candidates).to.be.an('array').with.length.of.at.least(2);
    expect((duneOut.candidates as Array<{ year?: number }>).map((c) => c.year)).to.include.members([1984, 2021]);
    const status = statusesOf(matchNode()).at(-1);
    expect(status).to.include({ fill: 'yellow' });
    expect(status?.text).to.equal('match.status.done {"matched":3,"unmatched":2}');
  });

  it('10. the ID cache: the same titles again cost no search, also after a restart', async () => {
    const titles = [lionKing, amelie, officeEpisode, homeVideo];
    await deploy();
    await match(titles);
    const first = searches(sb);
    expect(first, 'searches on the first run').to.be.within(1, 4);
    const matched = out.out1[0].payload;

    await match(titles.map((t) => ({ ...t })));
    expect(searches(sb) - first, 'searches on the second run').to.equal(0);
    expect(out.out1[1].payload).to.deep.equal(matched);
    expect((out.out2[1] as Unmatched).reason, 'the miss is remembered').to.match(/not found earlier/);

    captureSurface();
    await helper.unload();
    await deploy({}, { fresh: true });
    await match(titles.map((t) => ({ ...t })));
    expect(searches(sb) - first, 'searches after the restart').to.equal(0);
    expect(out.out1).to.have.lengthOf(1);
    expect(out.out1[0].payload).to.deep.equal(matched);
    expect(out.out2).to.have.lengthOf(1);
    expect((out.out2[0] as Unmatched).payload).to.deep.equal(homeVideo);
  });

  it('11. overrides on the node match without a request; a bad override row is reported', async () => {
    await deploy({
      overrides: [
        { type: 'movie', title: 'Dune', year: '', ids: 'tmdb:438631' },
        { type: 'movie', title: '', year: '', ids: 'tmdb:1' },
      ],
    });
    const problems = errorsOf(matchNode()).map((args) => String(args[0]));
    expect(problems).to.have.lengthOf(1);
    expect(keyOf(problems[0])).to.equal('match.errors.badOverride');
    expect(problems[0]).to.include('"index":2');

    await match([dune]);
    expect(out.out2.map((m) => (m as Unmatched).reason)).to.deep.equal([]);
    expect(out.out1).to.have.lengthOf(1);
    expect(idsOf(out.out1[0])[0]).to.deep.include({ type: 'movie', title: 'Dune', ids: { tmdb: 438631 } });
    expect(sb.state.requestLog, 'requests to Trakt').to.have.lengthOf(0);
  });

  it('12. invalid items each reach the Catch node; the valid ones are still matched', async () => {
    await deploy();
    await match([lionKing, { type: 'podcast', title: 'Serial' }, 'hello', { ...amelie, year: 'two thousand one' }, amelie]);
    await waitFor(() => out.err.length >= 3, 'three errors at the Catch node');
    await sleep(30);
    const errors = out.err.map(errorText);
    expect(errors, errors.join('\n')).to.have.lengthOf(3);
    expect(errors.every((e) => keyOf(e) === 'match.errors.invalidItem')).to.equal(true);
    expect(errors[0]).to.match(/item 2/);
    expect(errors[1]).to.match(/item 3/);
    expect(errors[2]).to.match(/item 4/).and.match(/year/);
    expect(out.out1).to.have.lengthOf(1);
    expect(idsOf(out.out1[0]).map((i) => i.ids?.trakt)).to.deep.equal([LION_KING_2019.trakt, AMELIE.trakt]);
    expect(out.out2).to.have.lengthOf(0);
  });

  it('stopping the flow releases the Trakt account: no timer keeps running', async () => {
    const intervals = watchIntervals();
    try {
      await deploy();
      await match([lionKing]);
      expect(out.out1).to.have.lengthOf(1);
      captureSurface();
      await helper.unload();
      await sleep(100);
    } finally {
      intervals.restore();
    }
    expect(intervals.stillRunning(), 'intervals still running after the flow stopped').to.deep.equal([]);
  });

  describe('12. the tracker fails', () => {
    const expectAllOnOutput2 = async (valid: unknown[], reason: RegExp): Promise<void> => {
      await waitFor(() => out.out2.length >= valid.length, 'the valid items on output 2');
      await sleep(30);
      expect(out.out1, 'nothing matched').to.have.lengthOf(0);
      expect(out.out2.map((m) => m.payload)).to.deep.equal(valid);
      for (const msg of out.out2 as Unmatched[]) {
        expect(msg.reason).to.match(reason);
        expect(msg.candidates).to.deep.equal([]);
      }
      const status = statusesOf(matchNode()).at(-1);
      expect(status).to.include({ fill: 'red' });
      expect(keyOf(status?.text)).to.equal('match.status.error');
    };

    it('Trakt not reachable: every valid item on output 2 with the reason, an error at Catch; invalid items each an error', async () => {
      const gone = await startSandbox();
      const creds = authorizedCreds(gone);
      await gone.close();
      await deploy({}, { apiUrl: gone.url, creds });
      const valid = [lionKing, officeEpisode];
      await match([lionKing, { type: 'podcast', title: 'Serial' }, officeEpisode, 'hello']);
      await expectAllOnOutput2(valid, /Trakt/);
      await waitFor(() => out.err.length >= 3, 'three errors at the Catch node');
      await sleep(30);
      const errors = out.err.map(errorText);
      expect(errors, errors.join('\n')).to.have.lengthOf(3);
      expect(errors.filter((e) => keyOf(e) === 'match.errors.invalidItem'), 'one error per invalid item').to.have.lengthOf(2);
      expect(errors.find((e) => /item 2/.test(e)), 'the podcast').to.match(/type|podcast/);
      expect(errors.find((e) => /item 4/.test(e)), 'the string').to.match(/string|object/);
      expect(errors.filter((e) => keyOf(e) !== 'match.errors.invalidItem')[0]).to.match(/Trakt/);
    });

    it('Trakt refuses the token and the refresh token: every valid item on output 2, an error at Catch', async () => {
      const creds = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accessToken: 'revoked-access-token-0001', refreshToken: 'revoked-refresh-token-0001', expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
      addSecret(creds.accessToken);
      addSecret(creds.refreshToken);
      await deploy({}, { creds });
      await match([amelie, dune]);
      await expectAllOnOutput2([amelie, dune], /authoriz/i);
      await waitFor(() => out.err.length >= 1, 'the error at the Catch node');
      expect(out.err).to.have.lengthOf(1);
      expect(errorText(out.err[0])).to.match(/authoriz/i);
      expect(statusesOf(matchNode()).some((s) => s.text === 'trakt-config.status.reauth'), 'the re-authorization status').to.equal(true);
    });
  });

  it('13. secrets: no status, message or error shows the Trakt tokens or the client secret', async () => {
    await deploy();
    await match([lionKing, amelie, officeEpisode, homeVideo, dune, { type: 'podcast' }]);
    captureSurface();
    expect(leakedSecrets()).to.deep.equal([]);
  });
});
