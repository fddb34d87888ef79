// GET /search/id and GET /search/{movie|tv|anime}?q= (api-facts §2.4). Note the two shapes: id
// lookups answer `ids.simkl`, text search `ids.simkl_id` with tmdb as a string. Token not required.
import { json, simklError, type Call, type Reply } from '../http';
import type { SimklState } from '../state';
import type { SimklCatalog, SimklMovie, SimklShow } from '../types';
import { fold, makeName, scoreName, tokens, type Name } from '../../trakt/routes/search-text';

const ID_PARAMS = ['simkl', 'imdb', 'tmdb', 'tvdb', 'mal', 'anidb'] as const;
const ENDPOINT_TYPE = { movie: 'movies', tv: 'tv', anime: 'anime' } as const;
type TextType = keyof typeof ENDPOINT_TYPE;
// Simkl's pagination table: text search defaults to 10, clamps limit to 50 and page to 20.
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 50;
const MAX_PAGE = 20;

type Item = { kind: 'movie'; movie: SimklMovie } | { kind: 'show'; show: SimklShow };
interface Entry {
  item: Item;
  type: TextType;
  names: Name[];
}

const of = (item: Item): SimklMovie | SimklShow => (item.kind === 'movie' ? item.movie : item.show);

function idResult(item: Item): unknown {
  if (item.kind === 'movie') {
    const m = item.movie;
    return { type: 'movie', title: m.title, year: m.year, status: 'released', ids: { simkl: m.simkl, slug: m.slug } };
  }
  const s = item.show;
  const episodes = s.seasons.reduce((n, season) => n + season.episodes.length, 0);
  return { type: s.simklType, title: s.title, year: s.year, status: 'ended', ...(s.simklType === 'tv' ? { total_episodes: episodes } : {}), ids: { simkl: s.simkl, slug: s.slug } };
}

/** tmdb ids collide between movies and shows, so Simkl looks up shows by tmdb only with type=show. */
export function searchId(state: SimklState, call: Call): Reply {
  const param = ID_PARAMS.find((k) => (call.query.get(k) ?? '').trim() !== '');
  if (!param) return simklError(400, 'empty_field', 'Missed id parameter (simkl, imdb, tmdb, tvdb, mal or anidb)');
  const id = call.query.get(param) ?? '';
  const type = call.query.get('type');
  const wantMovies = type !== 'show' && ['simkl', 'imdb', 'tmdb'].includes(param);
  const wantShows = type !== 'movie' && (param !== 'tmdb' || type === 'show');
  const items: Item[] = [
    ...(wantMovies ? state.index.moviesById(param, id) : []).map((movie): Item => ({ kind: 'movie', movie })),
    ...(wantShows ? state.index.showsById(param, id) : []).map((show): Item => ({ kind: 'show', show })),
  ];
  return json(200, items.map(idResult));
}

const cache = new WeakMap<SimklCatalog, Entry[]>();

function entries(catalog: SimklCatalog): Entry[] {
  let list = cache.get(catalog);
  if (list) return list;
  const names = (title: string, aliases: string[] = []): Name[] => [makeName('title', title), ...aliases.map((a) => makeName('aliases', a))];
  list = [
    ...catalog.movies.map((movie): Entry => ({ item: { kind: 'movie', movie }, type: 'movie', names: names(movie.title, movie.aliases) })),
    ...catalog.shows.map((show): Entry => ({ item: { kind: 'show', show }, type: show.simklType, names: names(show.title, show.aliases) })),
  ];
  cache.set(catalog, list);
  return list;
}

function positiveInt(v: string | null, fallback: number, max: number): number {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : fallback;
}

export function searchText(state: SimklState, call: Call, type: string): Reply {
  if (!(type in ENDPOINT_TYPE)) return simklError(400, 'wrong_parameter', 'type must be movie, tv or anime');
  const q = call.query.get('q') ?? '';
  if (q.trim() === '') return simklError(400, 'empty_field', 'Missed "q" parameter');
  // q may be an IMDb URL or id: Simkl resolves it instead of matching words.
  const imdb = /tt\d+/.exec(q.toLowerCase())?.[0];
  const folded = fold(q);
  const queryTokens = [...new Set(tokens(folded))];
  const scored = entries(state.catalog)
    .filter((e) => e.type === type)
    .map((e) => ({ e, score: imdb ? (of(e.item).imdb === imdb ? 1 : 0) : Math.max(0, ...e.names.map((n) => scoreName(n, folded, queryTokens))) }))
    .filter((s) => s.score > 0)
    // Ties: the newer title first (remakes are usually the popular one), then the older simkl id.
    .sort((a, b) => b.score - a.score || of(b.e.item).year - of(a.e.item).year || of(a.e.item).simkl - of(b.e.item).simkl);

  const limit = positiveInt(call.query.get('limit'), DEFAULT_LIMIT, MAX_LIMIT);
  const page = positiveInt(call.query.get('page'), 1, MAX_PAGE);
  const body = scored.slice((page - 1) * limit, page * limit).map(({ e }) => {
    const t = of(e.item);
    return { title: t.title, year: t.year, endpoint_type: ENDPOINT_TYPE[e.type], ids: { simkl_id: t.simkl, slug: t.slug, tmdb: String(t.tmdb) } };
  });
  return json(200, body, {
    'X-Pagination-Page': String(page),
    'X-Pagination-Limit': String(limit),
    'X-Pagination-Page-Count': String(Math.min(MAX_PAGE, Math.max(1, Math.ceil(scored.length / limit)))),
    'X-Pagination-Item-Count': String(scored.length),
  });
}
