import type { MediaIds, MediaItem } from '../schema/types';

/** Anime sources (HAMA, AniDB, MyAnimeList, AniList) named in a source kind or reference. */
const ANIME_HINT = /\b(hama|anidb|myanimelist|anilist)\b/i;

/**
 * Whether Simkl should get the item under `anime`: it (or its show) carries an AniDB or MAL id, or
 * its source says it came from an anime agent. Simkl files anime apart from TV, with its own numbering.
 */
export function isAnime(item: MediaItem): boolean {
  if (hasAnimeIds(item.ids) || hasAnimeIds(item.show?.ids)) return true;
  const source = item.source;
  return !!source && [source.kind, source.ref].some((text) => typeof text === 'string' && ANIME_HINT.test(text));
}

/**
 * True when the episode numbers are TVDB's (seasons) rather than AniDB's: no AniDB id to say
 * otherwise, and a TVDB id on the show. Simkl then maps them (`use_tvdb_anime_seasons`).
 */
export function usesTvdbSeasons(item: MediaItem): boolean {
  const ids = item.show?.ids ?? {};
  return !present(ids.anidb) && present(ids.tvdb);
}

function hasAnimeIds(ids: MediaIds | undefined): boolean {
  return !!ids && (present(ids.anidb) || present(ids.mal));
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
