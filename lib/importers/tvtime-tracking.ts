import type { KindEnv, KindReader } from './kind';
import { plainReader } from './kind';
import { compact, Problems, type MapResult, type Row } from './row';
import { cell, firstDate } from './tvtime-cells';
import { episodePlay } from './tvtime-episode';
import type { ShowIndex } from './tvtime-shows';
import { parseDateTime, parseEpochSeconds, parseId, text, type Parsed } from './values';

/**
 * tracking-prod-records-v2.csv (2024+): rows typed by `key`. watch-episode-… and rewatch-episode-…
 * are plays (s_id = TVDB show id, watch time = created_at); user-series-… rows are followed shows,
 * no play: skipped, their s_id/series_name pair only feeds the show index.
 */
export function trackingV2Reader(env: KindEnv): KindReader {
  return plainReader((row) => {
    const key = row.get('key').trim();
    if (/^user-series-/i.test(key)) {
      addShow(env.shows, row.get('series_name'), row.get('s_id'));
      return { skip: true };
    }
    const kind = /^(re)?watch-episode-/i.exec(key);
    if (!kind) return { reject: unknownRecord('key', key, 'watch-episode-…, rewatch-episode-… or user-series-…') };
    return episodePlay(
      {
        showName: row.get('series_name'),
        showId: cell(row, 's_id'),
        season: cell(row, 'season_number', 's_no'),
        episode: cell(row, 'episode_number', 'ep_no'),
        episodeId: cell(row, 'episode_id', 'ep_id'),
        watchedAt: firstDate(row, ['created_at', 'updated_at']),
        rewatch: kind[1] !== undefined,
        ref: row.ref,
      },
      env.shows,
    );
  });
}

/**
 * tracking-prod-records.csv (v1, 2024+): movies (entity_type movie) with type watch / rewatch (plays)
 * or towatch (watchlist), and episode rows whose watch_date is in Unix seconds. count-… rows are
 * per-show counters, no play: skipped.
 */
export function trackingV1Reader(env: KindEnv): KindReader {
  return plainReader((row) => {
    const type = row.get('type').trim().toLowerCase();
    if (type.startsWith('count-')) return { skip: true };
    if (type !== 'watch' && type !== 'rewatch' && type !== 'towatch') {
      return { reject: unknownRecord('type', type, 'watch, rewatch or towatch') };
    }
    const movie = row.get('entity_type').trim().toLowerCase() === 'movie' || (!text(row.get('series_name')) && !!text(row.get('movie_name')));
    if (movie) return v1Movie(row, type);
    if (type === 'towatch') return v1ShowToWatch(row, env.shows);
    return episodePlay(
      {
        showName: row.get('series_name'),
        showId: cell(row, 'series_id'),
        season: cell(row, 'season_number'),
        episode: cell(row, 'episode_number'),
        episodeId: cell(row, 'episode_id'),
        watchedAt: watchTime(row),
        rewatch: type === 'rewatch',
        ref: row.ref,
      },
      env.shows,
    );
  });
}

function v1Movie(row: Row, type: string): MapResult {
  const title = text(row.get('movie_name'));
  if (!title) return { reject: 'no movie_name (the film title)' };
  const p = new Problems();
  const toWatch = type === 'towatch';
  const item = compact({
    type: 'movie' as const,
    title,
    year: releaseYear(row.get('release_date')),
    watchedAt: toWatch ? undefined : p.take(watchTime(row)),
    listedAt: toWatch ? p.take(firstDate(row, ['created_at', 'updated_at'])) : undefined,
    rewatch: type === 'rewatch' || undefined,
    source: { kind: 'tvtime', ref: row.ref, list: toWatch ? 'watchlist' : 'history' },
  });
  return p.first ? { reject: p.first } : { item };
}

/** A show marked "to watch": a show on the watchlist, not a play. */
function v1ShowToWatch(row: Row, shows: ShowIndex): MapResult {
  const p = new Problems();
  const title = text(row.get('series_name'));
  const tvdb = p.take(parseId('series_id', row.get('series_id'))) ?? (title ? shows.get(title) : undefined);
  const listedAt = p.take(firstDate(row, ['created_at', 'updated_at']));
  if (p.first) return { reject: p.first };
  if (!title && tvdb === undefined) return { reject: 'no series_name or series_id' };
  const ids = tvdb === undefined ? undefined : { tvdb };
  return { item: compact({ type: 'show' as const, title, ids, listedAt, source: { kind: 'tvtime', ref: row.ref, list: 'watchlist' } }) };
}

/** watch_date is Unix seconds on v1 rows (a date string is read too); else created_at. */
function watchTime(row: Row): Parsed<string> {
  const watchDate = row.get('watch_date').trim();
  if (/^\d+$/.test(watchDate) && watchDate !== '0') return parseEpochSeconds('watch_date', watchDate);
  if (watchDate && watchDate !== '0') return parseDateTime('watch_date', watchDate);
  return firstDate(row, ['created_at', 'updated_at']);
}

/** The year of release_date when it is a real one ("0000-00-00 …" and garbage mean unknown). */
function releaseYear(raw: string): number | undefined {
  const parsed = parseDateTime('release_date', raw);
  const year = parsed.value ? Number(parsed.value.slice(0, 4)) : undefined;
  return year !== undefined && year >= 1870 && year <= 2100 ? year : undefined;
}

function addShow(shows: ShowIndex, name: string, id: string): void {
  const tvdb = parseId('s_id', id).value;
  if (text(name) && tvdb !== undefined) shows.add(name, tvdb);
}

function unknownRecord(column: string, value: string, expected: string): string {
  if (!value) return `no ${column} (the record kind)`;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `a record of an unknown kind (${column} "${shown}"): expected ${expected}`;
}
