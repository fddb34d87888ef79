import type { Candidate, MatchProvider } from '../provider';
import type { IdKey, MediaIds } from '../schema/types';
import type { TraktClient } from './client';
import { traktIds } from './mapping';
import type { TraktIds } from './types';

type MatchType = 'movie' | 'show' | 'episode';

/** Id kinds /sync/history matches on (api-facts §1.7); items carrying one need no search. */
const ACCEPTED: Record<MatchType, readonly IdKey[]> = {
  movie: ['trakt', 'slug', 'imdb', 'tmdb'],
  show: ['trakt', 'slug', 'imdb', 'tmdb', 'tvdb'],
  episode: ['trakt', 'imdb', 'tmdb', 'tvdb'],
};
const LOOKUP: readonly IdKey[] = ['trakt', 'imdb', 'tmdb', 'tvdb'];

/** Enough to choose from: the best answer is near the top or the title is too vague anyway. */
const SEARCH_LIMIT = 10;

/** Lucene/Solr query syntax, backslash-escaped so "Star Wars: Episode IV" is not a field query. */
const SOLR_SPECIALS = /[+\-&|!(){}[\]^"~*?:/\\]/g;

interface TraktMedia {
  title?: string;
  year?: number | null;
  ids?: TraktIds;
  aliases?: Array<string | { title?: string }>;
  country?: string | null;
}

interface TraktSearchRow {
  type: string;
  score: number | null;
  movie?: TraktMedia;
  show?: TraktMedia;
  episode?: { season?: number; number?: number; title?: string; ids?: TraktIds };
}

/** Trakt's side of matching: id look-ups and title search, read with the account's token and limits. */
export class TraktMatchProvider implements MatchProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';

  constructor(private readonly client: TraktClient) {}

  acceptedIds(type: MatchType): readonly IdKey[] {
    return ACCEPTED[type];
  }

  /** The same kinds for every type: the look-up's `type` parameter says which one is wanted. */
  lookupIds(_type: MatchType): readonly IdKey[] {
    return LOOKUP;
  }

  async lookupId(idType: IdKey, id: string | number, type: MatchType): Promise<Candidate[]> {
    if (!LOOKUP.includes(idType)) throw new Error(`Trakt cannot look up ${idType} ids`);
    // `type` always: tmdb, tvdb and trakt numbers are reused across movies, shows and episodes.
    return this.get(`/search/${idType}/${encodeURIComponent(String(id))}`, { type });
  }

  async search(type: 'movie' | 'show', query: string, year?: number): Promise<Candidate[]> {
    // ±1 year (release vs premiere) still comes back; a remake of another year is not even offered.
    const years = year ? `${year - 1}-${year + 1}` : undefined;
    // extended=full brings the country, the only thing that tells "The Office" (US) from (UK).
    return this.get(`/search/${type}`, { query: escapeSolr(query), fields: 'title,aliases', limit: SEARCH_LIMIT, years, extended: 'full' });
  }

  private async get(path: string, params: Record<string, string | number | undefined>): Promise<Candidate[]> {
    const response = await this.client.session.withToken((token) =>
      this.client.http.get<TraktSearchRow[]>(path, { headers: { Authorization: `Bearer ${token}` }, params }),
    );
    return (Array.isArray(response.data) ? response.data : []).flatMap(toCandidate);
  }
}

export function escapeSolr(query: string): string {
  return query.replace(SOLR_SPECIALS, '\\$&');
}

/** A search row as a Candidate; people and lists are not media and are dropped. */
function toCandidate(row: TraktSearchRow): Candidate[] {
  if (row.type === 'episode' && row.episode && row.show) {
    const { episode, show } = row;
    return [{ type: 'episode', title: episode.title ?? '', ids: idsOf(episode.ids), season: episode.season, episode: episode.number, show: { ...titled(show), ids: idsOf(show.ids) } }];
  }
  const media = row.type === 'movie' ? row.movie : row.type === 'show' ? row.show : undefined;
  if (!media) return [];
  const candidate: Candidate = { type: row.type as 'movie' | 'show', title: '', ...titled(media), ids: idsOf(media.ids) };
  const aliases = (media.aliases ?? []).map((a) => (typeof a === 'string' ? a : a.title)).filter((a): a is string => !!a);
  if (aliases.length) candidate.aliases = aliases;
  if (typeof media.country === 'string' && media.country) candidate.country = media.country.toLowerCase();
  return [candidate];
}

/** Title and year when Trakt knows them (it sends null for an unknown year). */
function titled(media: TraktMedia): { title?: string; year?: number } {
  const out: { title?: string; year?: number } = {};
  if (typeof media.title === 'string') out.title = media.title;
  if (typeof media.year === 'number') out.year = media.year;
  return out;
}

/** Trakt sends unknown ids as null (imdb sometimes as ""); they must not reach a sync body. */
function idsOf(ids: TraktIds | undefined): MediaIds {
  return (traktIds(ids as MediaIds | undefined) ?? {}) as MediaIds;
}
