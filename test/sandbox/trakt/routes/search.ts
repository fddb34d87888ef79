// GET /search/:id_type/:id and GET /search/:type?query= (api-facts §1.6). Reads, so the pipeline
// counts them against the GET limit; OAuth is optional.
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';
import { ID_TYPES, idKey, searchIndex, type HitType, type IdType } from './search-index';
import { hitYear, searchResult, type Hit } from './search-shape';
import { fold, scoreName, tokens, unescapeSolr } from './search-text';

const KNOWN_TYPES = ['movie', 'show', 'episode', 'person', 'list'];
// The sandbox has no people or lists: those types are valid but never match.
const SEARCHABLE: HitType[] = ['movie', 'show', 'episode'];
// Documented default is 10, but Trakt answers 50 per page since 2025 (api-facts §1.5); 250 is the clamp.
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 250;

const notFound = (): Reply => json(404, { error: 'not_found' });

/** Comma list of types; undefined = every type; null = an unknown type (404). */
function parseTypes(raw: string | null): Set<string> | undefined | null {
  if (raw === null || raw.trim() === '') return undefined;
  const types = raw.split(',').map((t) => t.trim().toLowerCase());
  return types.every((t) => KNOWN_TYPES.includes(t)) ? new Set(types) : null;
}

/** `years=2019` or `years=2009-2011`; anything else is ignored. */
function parseYears(raw: string | null): [number, number] | undefined {
  const m = /^\s*(\d{4})(?:\s*-\s*(\d{4}))?\s*$/.exec(raw ?? '');
  if (!m) return undefined;
  const from = Number(m[1]);
  return [from, m[2] === undefined ? from : Number(m[2])];
}

function positiveInt(v: string | null, fallback: number): number {
  const n = v === null ? NaN : Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function paginate(call: Call, items: unknown[]): Reply {
  const limit = Math.min(MAX_LIMIT, positiveInt(call.query.get('limit'), DEFAULT_LIMIT));
  const page = positiveInt(call.query.get('page'), 1);
  return json(200, items.slice((page - 1) * limit, page * limit), {
    'X-Pagination-Page': String(page),
    'X-Pagination-Limit': String(limit),
    'X-Pagination-Page-Count': String(Math.max(1, Math.ceil(items.length / limit))),
    'X-Pagination-Item-Count': String(items.length),
  });
}

const traktId = (hit: Hit): number => (hit.type === 'movie' ? hit.movie.trakt : hit.type === 'show' ? hit.show.trakt : hit.ref.episode.ids.trakt);

export function lookupId(state: TraktState, call: Call, idType: string, id: string): Reply {
  if (!(ID_TYPES as readonly string[]).includes(idType)) return notFound();
  const types = parseTypes(call.query.get('type'));
  if (types === null) return notFound();
  const hits = (searchIndex(state.catalog).byId.get(idKey(idType as IdType, id)) ?? [])
    .filter((h) => !types || types.has(h.type))
    .sort((a, b) => SEARCHABLE.indexOf(a.type) - SEARCHABLE.indexOf(b.type));
  return paginate(call, hits.map((h) => searchResult(h, null, call.query.get('extended') === 'full')));
}

export function searchText(state: TraktState, call: Call, typeList: string): Reply {
  const types = parseTypes(typeList);
  if (!types) return notFound();
  const query = call.query.get('query');
  if (query === null || query.trim() === '') return json(400, { error: 'bad_request', error_description: 'query is required' });
  const fieldsRaw = call.query.get('fields');
  const fields = new Set(fieldsRaw ? fieldsRaw.split(',').map((f) => f.trim().toLowerCase()) : ['title', 'aliases']);
  const years = parseYears(call.query.get('years'));
  const queryFolded = fold(unescapeSolr(query));
  const queryTokens = [...new Set(tokens(queryFolded))];
  const index = searchIndex(state.catalog);

  const scored: Array<{ hit: Hit; score: number }> = [];
  for (const type of SEARCHABLE) {
    if (!types.has(type) || queryTokens.length === 0) continue;
    for (const entry of index.text[type]) {
      const year = hitYear(entry.hit);
      if (years && (year < years[0] || year > years[1])) continue;
      let best = 0;
      for (const name of entry.names) if (fields.has(name.field)) best = Math.max(best, scoreName(name, queryFolded, queryTokens));
      if (best > 0) scored.push({ hit: entry.hit, score: best });
    }
  }
  // Ties: the newer item first (remakes are usually the popular one), then the older Trakt id.
  scored.sort((a, b) => b.score - a.score || hitYear(b.hit) - hitYear(a.hit) || traktId(a.hit) - traktId(b.hit));
  return paginate(call, scored.map((s) => searchResult(s.hit, s.score, call.query.get('extended') === 'full')));
}
