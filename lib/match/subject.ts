import type { MatchProvider } from '../provider';
import type { IdKey, MediaIds, MediaItem } from '../schema/types';

/** What has to be resolved for an item: the movie itself, or the show an episode belongs to. */
export interface Subject {
  kind: 'movie' | 'show';
  title?: string;
  year?: number;
  ids: MediaIds;
}

export function subjectOf(item: MediaItem): Subject {
  if (item.type === 'episode') return { kind: 'show', title: item.show?.title, year: item.show?.year, ids: item.show?.ids ?? {} };
  return { kind: item.type, title: item.title, year: item.year, ids: item.ids ?? {} };
}

/**
 * True when the tracker can sync the item as it is: a movie or show with an id it matches on, an
 * episode with its own such id, or one whose show has one plus season and episode numbers.
 */
export function passesThrough(item: MediaItem, provider: MatchProvider): boolean {
  if (item.type !== 'episode') return hasAny(item.ids, provider.acceptedIds(item.type));
  if (hasAny(item.ids, provider.acceptedIds('episode'))) return true;
  return hasNumbers(item) && hasAny(item.show?.ids, provider.acceptedIds('show'));
}

/** Why an item cannot be matched whatever ids its show gets, or undefined. */
export function problemOf(item: MediaItem): string | undefined {
  if (item.type === 'episode' && !hasNumbers(item)) return 'the episode has no ids and no season and episode numbers';
  return undefined;
}

/** The id kinds the item carries that the tracker can look up, in the tracker's order. */
export function lookupable(subject: Subject, provider: MatchProvider): Array<[IdKey, string | number]> {
  const out: Array<[IdKey, string | number]> = [];
  for (const key of provider.lookupIds(subject.kind)) {
    const value = subject.ids[key];
    if (isPresent(value)) out.push([key, value]);
  }
  return out;
}

/** A copy of the item with the found ids added (an episode's go to its show); nothing else changes. */
export function withIds(item: MediaItem, ids: MediaIds): MediaItem {
  if (item.type === 'episode') return { ...item, show: { ...item.show, ids: { ...item.show?.ids, ...ids } } };
  return { ...item, ids: { ...item.ids, ...ids } };
}

function hasNumbers(item: MediaItem): boolean {
  return Number.isInteger(item.season) && Number.isInteger(item.episode);
}

function hasAny(ids: MediaIds | undefined, kinds: readonly IdKey[]): boolean {
  return !!ids && kinds.some((kind) => isPresent(ids[kind]));
}

function isPresent(value: unknown): value is string | number {
  return value !== undefined && value !== null && value !== '';
}
