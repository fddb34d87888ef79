// Plex guids per agent (api-facts §3.5, samples/plex/guid_examples.txt). New-agent items carry
// their external ids separately (get_metadata `guids`); legacy guids embed one id, or none.
import { hexId } from './prng';
import type { GuidKind } from './types';

export interface GuidIds {
  imdb?: string;
  tmdb?: number;
  tvdb?: number;
  anidb?: number;
}

/** Where in a show an item sits: nothing for a movie or show, a season, or season and episode. */
export interface Position {
  season?: number;
  episode?: number;
}

const AGENT = 'com.plexapp.agents.';

const path = (p: Position): string => (p.season === undefined ? '' : `/${p.season}${p.episode === undefined ? '' : `/${p.episode}`}`);

/** The item's `guid`. `seed` makes the opaque kinds (plex, none, local) unique per item. */
export function guidFor(kind: GuidKind, media: 'movie' | 'show' | 'season' | 'episode', ids: GuidIds, pos: Position, seed: string): string {
  switch (kind) {
    case 'plex':
      // New agent ids look like Mongo ObjectIds.
      return `plex://${media}/5d${hexId(`${media}:${seed}`, 22)}`;
    case 'imdb':
      return `${AGENT}imdb://${ids.imdb}?lang=en`;
    case 'xbmcnfo':
      return `${AGENT}xbmcnfo://${ids.imdb}?lang=en`;
    case 'themoviedb':
      return `${AGENT}themoviedb://${ids.tmdb}${path(pos)}?lang=en`;
    case 'thetvdb':
    case 'thetvdbdvdorder':
      return `${AGENT}${kind}://${ids.tvdb}${path(pos)}?lang=en`;
    case 'hama-anidb':
      return `${AGENT}hama://anidb-${ids.anidb}${path(pos)}?lang=en`;
    case 'hama-tvdb':
      return `${AGENT}hama://tvdb-${ids.tvdb}${path(pos)}`;
    case 'local':
      return `local://${seed}`;
    case 'none':
      return `${AGENT}none://${hexId(seed, 12)}?lang=xn`;
  }
}

/** get_metadata `guids` of a new-agent item; legacy items have none. */
export function externalGuids(kind: GuidKind, ids: GuidIds): string[] {
  if (kind !== 'plex') return [];
  const out: string[] = [];
  if (ids.imdb) out.push(`imdb://${ids.imdb}`);
  if (ids.tmdb !== undefined) out.push(`tmdb://${ids.tmdb}`);
  if (ids.tvdb !== undefined) out.push(`tvdb://${ids.tvdb}`);
  return out;
}
