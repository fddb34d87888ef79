// Tests of the fake Tautulli and its library generator: tautulli-in's tests trust these behaviours
// to be Tautulli's, and benchmarks trust the answer key.
import { expect } from 'chai';
import {
  catalogFor,
  generateTautulliLibrary,
  libraryStats,
  startTautulliSandbox,
  TAUTULLI_SANDBOX_API_KEY as KEY,
  type GuidKind,
  type TautulliItem,
  type TautulliLibrary,
  type TautulliSandbox,
  type TautulliSandboxOptions,
} from './sandbox';

const SMALL = { movies: 400, shows: 3, seasonsPerShow: 2, episodesPerSeason: 3 };
const catalog = catalogFor({ catalog: SMALL });
const library = generateTautulliLibrary(catalog, { plays: 300, seed: 7 });

type Envelope = { response: { result: string; message: string | null; data: Record<string, unknown> } };
type Row = Record<string, unknown>;
// api-facts §3.2, in Tautulli's order.
const ROW_KEYS = [
  'reference_id', 'row_id', 'id', 'date', 'started', 'stopped', 'duration', 'play_duration', 'paused_counter', 'user_id', 'user',
  'friendly_name', 'user_thumb', 'platform', 'product', 'player', 'ip_address', 'live', 'machine_id', 'location', 'secure', 'relayed',
  'media_type', 'rating_key', 'parent_rating_key', 'grandparent_rating_key', 'full_title', 'title', 'parent_title', 'grandparent_title',
  'original_title', 'year', 'media_index', 'parent_media_index', 'thumb', 'originally_available_at', 'guid', 'transcode_decision',
  'percent_complete', 'watched_status', 'group_count', 'group_ids', 'state', 'session_key',
];
type History = { draw: number; recordsTotal: number; recordsFiltered: number; total_duration: string; filter_duration: string; data: Row[] };

describe('tautulli sandbox', () => {
  let sb: TautulliSandbox;
  const start = async (o: TautulliSandboxOptions = {}): Promise<TautulliSandbox> => (sb = await startTautulliSandbox({ library, ...o }));
  afterEach(async () => sb?.close());

  async function api(params: Record<string, string | number>, apikey: string | null = KEY): Promise<{ status: number; body: Envelope }> {
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]));
    if (apikey !== null) q.set('apikey', apikey);
    const res = await fetch(`${sb.url}/api/v2?${q}`);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    return { status: res.status, body: (await res.json()) as Envelope };
  }
  const history = async (params: Record<string, string | number> = {}): Promise<History> => {
    const { status, body } = await api({ cmd: 'get_history', ...params });
    expect(status).to.equal(200);
    return body.response.data as unknown as History;
  };

  describe('API envelope and errors', () => {
    it('wraps data in {response: {result, message, data}}', async () => {
      await start();
      const { status, body } = await api({ cmd: 'get_tautulli_info' });
      expect(status).to.equal(200);
      expect(body.response).to.include({ result: 'success', message: null });
      expect(body.response.data).to.include({ tautulli_version: 'v2.17.2' });
      expect((await api({ cmd: 'get_server_info' })).body.response.data).to.have.property('pms_version');
      expect((await api({ cmd: 'arnold' })).body.response.data).to.be.a('string');
    });

    it('answers HTTP 400 with result error for key and command problems', async () => {
      await start();
      const message = async (params: Record<string, string>, key: string | null = KEY): Promise<string | null> => {
        const { status, body } = await api(params, key);
        expect(status).to.equal(400);
        expect(body.response.result).to.equal('error');
        return body.response.message;
      };
      expect(await message({ cmd: 'get_history' }, 'wrong-key-wrong-key-wrong-key-00')).to.equal('Invalid apikey');
      expect(await message({ cmd: 'get_history' }, null)).to.equal('Parameter apikey is required');
      expect(await message({})).to.match(/^Parameter cmd is required\. Possible commands are: .*get_history/);
      expect(await message({ cmd: 'get_histroy' })).to.match(/^Unknown command: get_histroy\. Possible commands are: /);
      sb.state.options.apiEnabled = false;
      expect(await message({ cmd: 'get_history' })).to.equal('API not enabled');
    });

    it('injects 500s, HTML answers and resets, and accepts POSTed forms', async () => {
      await start();
      Object.assign(sb.state.faults, { status500Next: 1, htmlNext: 1, resetNext: 1 });
      let error: unknown;
      await fetch(`${sb.url}/api/v2?apikey=${KEY}&cmd=arnold`).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(TypeError);
      const html = await fetch(`${sb.url}/api/v2?apikey=${KEY}&cmd=arnold`);
      expect(html.status).to.equal(200);
      expect(html.headers.get('content-type')).to.match(/^text\/html/);
      const failed = await api({ cmd: 'arnold' });
      expect(failed.status).to.equal(500);
      expect(failed.body.response).to.include({ result: 'error', message: 'Check the logs for errors' });
      const posted = await fetch(`${sb.url}/api/v2`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `apikey=${KEY}&cmd=get_history&length=1`,
      });
      expect(((await posted.json()) as Envelope).response.data.data).to.have.length(1);
      expect(sb.state.callsByCmd).to.include({ arnold: 3, get_history: 1 });
    });

    it('serves the web UI as HTML on other paths and honours the HTTP root', async () => {
      await start({ httpRoot: '/tautulli/' });
      expect(sb.url).to.match(/\/tautulli$/);
      const origin = sb.url.replace(/\/tautulli$/, '');
      const home = await fetch(`${sb.url}/home`);
      expect(home.status).to.equal(200);
      expect(home.headers.get('content-type')).to.match(/^text\/html/);
      const wrongRoot = await fetch(`${origin}/api/v2?apikey=${KEY}&cmd=arnold`);
      expect(wrongRoot.headers.get('content-type')).to.match(/^text\/html/);
      expect(await wrongRoot.text()).to.contain('<html');
      expect((await api({ cmd: 'arnold' })).status).to.equal(200);
    });
  });

  describe('get_history', () => {
    it('pages, orders and reports counts like the datatables query', async () => {
      await start();
      const first = await history();
      expect(first.draw).to.equal(1);
      expect(first.recordsTotal).to.equal(library.sessions.length);
      expect(first.data).to.have.length(25);
      expect(first.total_duration).to.match(/^\d+ days( \d+ hrs?)?( \d+ mins?)?$/);
      const dates = first.data.map((r) => Number(r.date));
      expect(dates).to.deep.equal([...dates].sort((a, b) => b - a));

      const all = await history({ include_activity: 0, length: 100000, order_column: 'stopped', order_dir: 'asc' });
      expect(all.recordsFiltered).to.equal(library.expected.length);
      const stops = all.data.map((r) => Number(r.stopped));
      expect(stops).to.deep.equal([...stops].sort((a, b) => a - b));
      const paged: Row[] = [];
      for (let s = 0; s < all.recordsFiltered; s += 100) {
        paged.push(...(await history({ include_activity: 0, start: s, length: 100, order_column: 'stopped', order_dir: 'asc' })).data);
      }
      expect(paged.map((r) => r.row_id)).to.deep.equal(all.data.map((r) => r.row_id));
      // Not in the allowed list: silently the default order (date desc).
      const ignored = await history({ order_column: 'rating_key', order_dir: 'desc' });
      expect(ignored.data.map((r) => r.row_id)).to.deep.equal(first.data.map((r) => r.row_id));
      // Python slicing: length -1 drops the last row.
      expect((await history({ include_activity: 0, length: -1 })).data).to.have.length(all.recordsFiltered - 1);
    });

    it('UNIONs playing sessions unless include_activity=0', async () => {
      await start();
      const withActivity = await history({ length: 100000 });
      const playing = withActivity.data.filter((r) => r.row_id === null);
      expect(playing.map((r) => r.state)).to.have.members(['playing', 'paused']);
      expect(playing[0]).to.include({ reference_id: null, group_count: null, group_ids: null, stopped: null });
      for (const row of withActivity.data) expect(Object.keys(row)).to.deep.equal(ROW_KEYS);
      expect(withActivity.recordsFiltered).to.equal(library.expected.length + library.activity.length);
      expect((await history({ length: 100000, include_activity: 0 })).data.every((r) => r.row_id !== null)).to.equal(true);
    });

    it('groups sittings by reference_id; ungrouped rows show each sitting', async () => {
      const movie = library.items.find((i) => i.mediaType === 'movie' && i.guidKind === 'plex') as TautulliItem;
      await start({ library: { ...library, sessions: [], activity: [], expected: [] } });
      const [a, b] = sb.state.addPlays([
        { ratingKey: movie.ratingKey, user: 'alice', started: '2024-03-01T20:00:00Z', stopped: '2024-03-01T20:40:10Z', percent: 40 },
        { ratingKey: movie.ratingKey, user: 'alice', started: '2024-03-02T09:00:00Z', stopped: '2024-03-02T10:00:30Z', percent: 95 },
      ]);
      // Watched already: the rewatch starts a new group.
      sb.state.addPlays([{ ratingKey: movie.ratingKey, user: 'alice', started: '2024-03-05T20:00:00Z', stopped: '2024-03-05T22:00:00Z' }]);

      const grouped = await history({ include_activity: 0, order_dir: 'asc', order_column: 'started' });
      expect(grouped.recordsTotal).to.equal(3);
      expect(grouped.data).to.have.length(2);
      expect(grouped.data[0]).to.include({
        reference_id: a.id,
        row_id: b.id,
        id: b.id,
        started: a.started,
        date: b.started,
        stopped: b.stopped,
        group_count: 2,
        group_ids: `${a.id},${b.id}`,
        percent_complete: 95,
        watched_status: 1,
        parent_rating_key: '',
        grandparent_rating_key: '',
        media_index: '',
        parent_media_index: '',
        guid: movie.guid,
      });
      const ungrouped = await history({ include_activity: 0, grouping: 0, order_dir: 'asc', order_column: 'started' });
      expect(ungrouped.data.map((r) => [r.reference_id, r.row_id, r.percent_complete, r.watched_status])).to.deep.equal([
        [a.id, a.id, 40, 0.25],
        [a.id, b.id, 95, 1],
        [b.id + 1, b.id + 1, 95, 1],
      ]);
      expect(sb.state.expected().map((e) => [e.ref, e.watched])).to.deep.equal([
        [String(a.id), true],
        [String(b.id + 1), true],
      ]);
    });

    it('filters after/before inclusively on the server-local date of started', async () => {
      const movie = library.items.find((i) => i.mediaType === 'movie') as TautulliItem;
      const lib: TautulliLibrary = { ...library, sessions: [], activity: [], expected: [] };
      const late = { ratingKey: movie.ratingKey, user: 'bob', started: '2024-03-01T23:30:00Z', stopped: '2024-03-02T01:30:00Z' };
      const count = async (params: Record<string, string>): Promise<number> => (await history({ include_activity: 0, ...params })).recordsFiltered;

      await start({ library: lib });
      sb.state.addPlays([late]);
      expect(await count({ after: '2024-03-01', before: '2024-03-01' })).to.equal(1);
      expect(await count({ after: '2024-03-02' })).to.equal(0);
      await sb.close();

      // One hour east of UTC, 23:30Z is already the 2nd locally.
      await start({ library: lib, timezoneOffsetMinutes: 60 });
      sb.state.addPlays([late]);
      expect(await count({ after: '2024-03-02', before: '2024-03-02' })).to.equal(1);
      expect(await count({ before: '2024-03-01' })).to.equal(0);
    });

    it('filters by user, media type, rating key and search text', async () => {
      await start();
      const all = await history({ include_activity: 0, length: 100000 });
      const count = async (params: Record<string, string | number>): Promise<number> => (await history({ include_activity: 0, ...params })).recordsFiltered;
      const of = (pred: (r: Row) => boolean): number => all.data.filter(pred).length;
      expect(await count({ user: 'alice' })).to.equal(of((r) => r.user === 'alice'));
      expect(await count({ user: 'alice,bob' })).to.equal(of((r) => r.user !== 'carol'));
      expect(await count({ user_id: library.users[2].userId })).to.equal(of((r) => r.user === 'carol'));
      expect(await count({ media_type: 'movie' })).to.equal(of((r) => r.media_type === 'movie'));
      expect(await count({ media_type: 'movie,episode' })).to.equal(all.recordsFiltered);
      const key = all.data[0].rating_key as number;
      expect(await count({ rating_key: key })).to.equal(of((r) => r.rating_key === key));
      expect(await count({ search: 'office' })).to.equal(of((r) => String(r.full_title).toLowerCase().includes('office')));
      const episode = all.data.find((r) => r.media_type === 'episode') as Row;
      expect(episode.full_title).to.equal(`${episode.grandparent_title} - ${episode.title}`);
      expect(episode.parent_media_index).to.be.a('number');
    });
  });

  describe('get_metadata', () => {
    it('returns external ids only for new-agent items, {} for unknown keys, and counts calls', async () => {
      await start();
      const plexEpisode = library.items.find((i) => i.mediaType === 'episode' && i.guidKind === 'plex') as TautulliItem;
      const legacy = library.items.find((i) => i.mediaType === 'movie' && i.guidKind === 'imdb') as TautulliItem;
      const meta = async (key: number | string): Promise<Record<string, unknown>> => (await api({ cmd: 'get_metadata', rating_key: key })).body.response.data;

      const ep = await meta(plexEpisode.ratingKey);
      expect(ep).to.include({ media_type: 'episode', rating_key: String(plexEpisode.ratingKey), media_index: String(plexEpisode.index) });
      expect(ep.guid).to.match(/^plex:\/\/episode\/[0-9a-f]{24}$/);
      expect(ep.guids).to.have.length(3);
      expect(ep.grandparent_guid).to.match(/^plex:\/\/show\//);
      expect((ep.grandparent_guids as string[]).map((g) => g.split('://')[0])).to.deep.equal(['imdb', 'tmdb', 'tvdb']);

      const old = await meta(legacy.ratingKey);
      expect(old.guid).to.match(/^com\.plexapp\.agents\.imdb:\/\/tt\d+\?lang=en$/);
      expect(old.guids).to.deep.equal([]);
      expect(old.year).to.equal(String(legacy.year));

      const unknown = await api({ cmd: 'get_metadata', rating_key: 999999999 });
      expect(unknown.status).to.equal(200);
      expect(unknown.body.response).to.deep.equal({ result: 'success', message: null, data: {} });
      await meta(plexEpisode.ratingKey);
      expect(sb.state.metadataCalls.get(String(plexEpisode.ratingKey))).to.equal(2);
    });
  });

  describe('library generator', () => {
    it('is deterministic per seed', () => {
      const again = generateTautulliLibrary(catalog, { plays: 300, seed: 7 });
      expect(again).to.deep.equal(library);
      const other = generateTautulliLibrary(catalog, { plays: 300, seed: 8 });
      expect(other.expected).to.not.deep.equal(library.expected);
    });

    it('has an answer key whose plays exist in the catalog, with every guid kind', () => {
      const movies = new Set(catalog.movies.map((m) => m.trakt));
      const episodes = new Set(catalog.shows.flatMap((s) => s.seasons.flatMap((season) => season.episodes.map((e) => e.ids.trakt))));
      for (const e of library.expected) {
        if (e.traktType === 'movie') expect(movies.has(e.traktId as number), `movie ${e.traktId}`).to.equal(true);
        else if (e.traktType === 'episode') expect(episodes.has(e.traktId as number), `episode ${e.traktId}`).to.equal(true);
        else expect(e.traktId).to.equal(null);
        expect(e.watchedAt).to.match(/:00\.000Z$/);
      }
      const stats = libraryStats(library);
      expect(stats.watched).to.equal(300);
      expect(stats.groups).to.be.greaterThan(stats.watched);
      expect(stats.sittings).to.be.greaterThan(stats.groups);
      expect(stats.unmatched).to.be.within(1, 15);
      expect(stats.uniqueRatingKeys).to.be.lessThan(stats.sittings);
      expect(stats.itemsWithoutIds).to.be.greaterThan(0);
      const kinds: GuidKind[] = ['plex', 'imdb', 'themoviedb', 'thetvdb', 'thetvdbdvdorder', 'hama-anidb', 'hama-tvdb', 'xbmcnfo', 'local', 'none'];
      for (const k of kinds) expect(stats.byGuidKind[k], k).to.be.greaterThan(0);
      expect(stats.byGuidKind.plex / stats.watched).to.be.within(0.4, 0.6);
      // Each watched play has a distinct item and minute on Trakt.
      const keys = library.expected.filter((e) => e.watched && e.traktId !== null).map((e) => `${e.traktType}:${e.traktId}@${e.watchedAt}`);
      expect(new Set(keys).size).to.equal(keys.length);
    });

    it('agrees with what the server reports for grouped history', async () => {
      await start();
      const rows = (await history({ include_activity: 0, grouping: 1, length: 100000, order_column: 'started', order_dir: 'asc' })).data;
      const byRef = new Map(library.expected.map((e) => [e.ref, e]));
      expect(rows).to.have.length(library.expected.length);
      for (const row of rows) {
        const e = byRef.get(String(row.reference_id));
        expect(e, `ref ${row.reference_id}`).to.not.equal(undefined);
        expect(row.watched_status === 1).to.equal(e?.watched);
        expect(row.user).to.equal(e?.user);
        expect(new Date(Math.floor(Number(row.stopped) / 60) * 60_000).toISOString()).to.equal(e?.watchedAt);
      }
    });
  });
});
