import type { KindEnv, KindReader } from './kind';
import { plainReader } from './kind';
import { episodePlay } from './tvtime-episode';
import { cell, firstDate } from './tvtime-cells';
import { parseId, text } from './values';

/** seen_episode.csv (and its _source/_latest variants): one play per row, at created_at (else updated_at). */
export function seenReader(env: KindEnv): KindReader {
  return plainReader((row) =>
    episodePlay(
      {
        showName: row.get('tv_show_name'),
        season: cell(row, 'episode_season_number'),
        episode: cell(row, 'episode_number'),
        episodeId: cell(row, 'episode_id'),
        watchedAt: firstDate(row, ['created_at', 'updated_at']),
        rewatch: false,
        ref: row.ref,
      },
      env.shows,
    ),
  );
}

/**
 * rewatched_episode.csv: `cpt` counts the rewatches but the file keeps one time, updated_at (the
 * latest). One play per row at that time, marked rewatch; earlier rewatches have no time and are not
 * invented (several plays at one minute would be one play for the ledger anyway).
 */
export function rewatchedReader(env: KindEnv): KindReader {
  return plainReader((row) =>
    episodePlay(
      {
        showName: row.get('tv_show_name'),
        season: cell(row, 'episode_season_number'),
        episode: cell(row, 'episode_number'),
        episodeId: cell(row, 'episode_id'),
        watchedAt: firstDate(row, ['updated_at', 'created_at']),
        rewatch: true,
        ref: row.ref,
      },
      env.shows,
    ),
  );
}

/** followed_tv_show.csv / user_tv_show_data.csv: no plays, only show ids for the episodes' shows. */
export function showsReader(env: KindEnv): KindReader {
  return plainReader((row) => {
    const name = text(row.get('tv_show_name'));
    const id = parseId('tv_show_id', row.get('tv_show_id'));
    if (name && id.value !== undefined) env.shows.add(name, id.value);
    return { skip: true };
  });
}
