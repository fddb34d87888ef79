import type { MediaItem } from '../schema/types';
import { compact, type MapResult, Problems } from './row';
import type { ShowIndex } from './tvtime-shows';
import { parseCount, parseId, text, type Parsed } from './values';

/** The cells of one TV Time episode play, whichever file they come from. */
export interface EpisodeCells {
  showName: string;
  /** TVDB show id column, when the file has one (tracking records). */
  showId?: { column: string; value: string };
  season: { column: string; value: string };
  episode: { column: string; value: string };
  episodeId: { column: string; value: string };
  watchedAt: Parsed<string>;
  rewatch: boolean;
  ref: string;
}

/**
 * Builds an episode play. The show name keeps TV Time's disambiguators ("Bodyguard (2018)",
 * "The Office (US)") as the hint they are; match strips them when it searches. The show's TVDB id comes
 * from the row or, failing that, from the show index (followed_tv_show.csv in the same zip).
 */
export function episodePlay(cells: EpisodeCells, shows: ShowIndex): MapResult {
  const p = new Problems();
  const showName = text(cells.showName);
  const showTvdb = cells.showId ? p.take(parseId(cells.showId.column, cells.showId.value)) : undefined;
  if (!showName && showTvdb === undefined) return { reject: 'no show name or show id' };
  const season = p.take(parseCount(cells.season.column, cells.season.value));
  const episode = p.take(parseCount(cells.episode.column, cells.episode.value));
  const episodeTvdb = p.take(parseId(cells.episodeId.column, cells.episodeId.value));
  const watchedAt = p.take(cells.watchedAt);
  if (p.first) return { reject: p.first };
  if (season === undefined) return { reject: `no ${cells.season.column} (season number)` };
  if (episode === undefined) return { reject: `no ${cells.episode.column} (episode number)` };
  const tvdb = showTvdb ?? (showName ? shows.get(showName) : undefined);
  const item: MediaItem = {
    type: 'episode',
    season,
    episode,
    show: compact({ title: showName, ids: tvdb === undefined ? undefined : { tvdb } }),
    // episode_id is the TVDB id of the episode itself, not of the show.
    ids: episodeTvdb === undefined ? undefined : { tvdb: episodeTvdb },
    watchedAt,
    rewatch: cells.rewatch || undefined,
    source: { kind: 'tvtime', ref: cells.ref, list: 'history' },
  };
  return { item: compact(item) };
}
