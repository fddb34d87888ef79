import type { MediaIds } from '../schema/types';
import { toId, toImdb, toIndex } from './values';

export type GuidAgent = 'plex' | 'imdb' | 'tmdb' | 'tvdb' | 'tvdbdvd' | 'hama' | 'xbmcnfo' | 'local' | 'none' | 'unknown';
export type PlexKind = 'movie' | 'show' | 'season' | 'episode';

/** What a Plex item guid tells about the item (api-facts §3.5). */
export interface ParsedGuid {
  agent: GuidAgent;
  /** Only for plex:// guids. */
  kind?: PlexKind;
  /** The item's own ids; empty when the guid names a show plus numbers (then see `show`). */
  ids: MediaIds;
  /** Set when the guid is SERIES/SEASON/EPISODE: the ids there are the show's, not the episode's. */
  show?: { ids: MediaIds };
  season?: number;
  episode?: number;
  /** thetvdbdvdorder: the season/episode numbers are TVDB's DVD order, not the aired order trackers use. */
  dvdOrder?: boolean;
  /** plex:// guids carry no external id: get_metadata (or the webhook's Guid list) has them. */
  needsMetadata: boolean;
}

const AGENT_PREFIX = /^(?:com\.plexapp\.agents\.|tv\.plex\.agents\.)/;
const PLEX_KINDS = new Set<string>(['movie', 'show', 'season', 'episode']);
const HAMA_ID = /^(anidb|tvdb|tmdb|imdb)\d?-(.+)$/i;

/** Parses any Plex / Tautulli guid; unknown or broken input gives agent 'unknown', never a throw. */
export function parseGuid(guid: unknown): ParsedGuid {
  try {
    return parse(guid);
  } catch {
    return bare('unknown');
  }
}

/** Ids of a get_metadata `guids` list or a Plex `Guid` array (`imdb://tt…`, `tmdb://…`, `tvdb://…`). */
export function idsFromGuidList(list: unknown): MediaIds {
  const ids: MediaIds = {};
  if (!Array.isArray(list)) return ids;
  for (const entry of list) {
    const guid = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : entry;
    const parsed = parseGuid(guid);
    // First one wins: Plex lists the primary id first.
    for (const [key, value] of Object.entries(parsed.ids)) if (!(key in ids)) (ids as Record<string, unknown>)[key] = value;
  }
  return ids;
}

function parse(guid: unknown): ParsedGuid {
  if (typeof guid !== 'string') return bare('unknown');
  const text = guid.trim();
  // Very old items carry a bare IMDb id (PlexTraktSync guid_is_imdb_legacy).
  if (/^tt\d+$/.test(text)) return { agent: 'imdb', ids: { imdb: text }, needsMetadata: false };
  const match = /^([A-Za-z0-9._-]+):\/\/([^?#]*)/.exec(text);
  if (!match) return bare('unknown');
  const scheme = match[1].toLowerCase().replace(AGENT_PREFIX, '');
  const parts = match[2].split('/').filter((part) => part !== '');
  switch (scheme) {
    case 'plex':
      return { agent: 'plex', kind: PLEX_KINDS.has(parts[0]) ? (parts[0] as PlexKind) : undefined, ids: {}, needsMetadata: true };
    case 'imdb':
      return withPath('imdb', { imdb: toImdb(parts[0]) }, parts);
    case 'themoviedb':
    case 'tmdb':
      return withPath('tmdb', { tmdb: toId(parts[0]) }, parts);
    case 'thetvdb':
    case 'tvdb':
      return withPath('tvdb', { tvdb: toId(parts[0]) }, parts);
    case 'thetvdbdvdorder':
      return { ...withPath('tvdbdvd', { tvdb: toId(parts[0]) }, parts), dvdOrder: true };
    case 'hama':
      return withPath('hama', hamaIds(parts[0]), parts);
    case 'xbmcnfo':
      // A number here could be any database's id; only an IMDb id is unambiguous.
      return withPath('xbmcnfo', { imdb: toImdb(parts[0]) }, parts);
    case 'xbmcnfotv':
      return withPath('xbmcnfo', { tvdb: toId(parts[0]), imdb: toImdb(parts[0]) }, parts);
    case 'local':
    case 'localmedia':
      return bare('local');
    case 'none':
      return bare('none');
    default:
      return bare('unknown');
  }
}

/** HAMA ids: anidb-17494, tvdb-73739 (tvdb2-/3-/4- are HAMA's numbering modes), tmdb-…, imdb-tt…. */
function hamaIds(first: string | undefined): MediaIds {
  const match = HAMA_ID.exec(first ?? '');
  if (!match) return {};
  const value = match[2];
  switch (match[1].toLowerCase()) {
    case 'anidb':
      return { anidb: toId(value) };
    case 'tvdb':
      return { tvdb: toId(value) };
    case 'tmdb':
      return { tmdb: toId(value) };
    default:
      return { imdb: toImdb(value) };
  }
}

/** ID/SEASON/EPISODE: with numbers after the id, the id belongs to the show. */
function withPath(agent: GuidAgent, rawIds: MediaIds, parts: string[]): ParsedGuid {
  const ids = clean(rawIds);
  if (parts.length < 2) return { agent, ids, needsMetadata: false };
  const out: ParsedGuid = { agent, ids: {}, show: { ids }, needsMetadata: false };
  const season = toIndex(parts[1]);
  const episode = toIndex(parts[2]);
  if (season !== undefined) out.season = season;
  if (episode !== undefined) out.episode = episode;
  return out;
}

function bare(agent: GuidAgent): ParsedGuid {
  return { agent, ids: {}, needsMetadata: false };
}

function clean(ids: MediaIds): MediaIds {
  const out: MediaIds = {};
  for (const [key, value] of Object.entries(ids)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
