// A fake ScrobbleProvider and event builders for the scrobble engine specs (not a spec file).
import type { AddHistoryResult, CheckinResult, ScrobbleAction, ScrobbleProvider, ScrobbleResult, TrackerProvider } from '../../lib/provider';
import type { MediaItem } from '../../lib/schema/types';
import type { ScrobbleEvent } from '../../lib/scrobble/types';

export interface FakeCall {
  kind: ScrobbleAction | 'checkin' | 'cancel';
  title: string;
  progress?: number;
  at: number;
}

/**
 * Behaves like Trakt: stop ≥ 80 is a play (a repeat within the hour answers "already scrobbled"),
 * stop below is a pause; one check-in at a time. Can be told to fail or to answer slowly.
 */
export class FakeScrobbleProvider implements ScrobbleProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'FakeTrakt';
  readonly calls: FakeCall[] = [];
  /** Errors thrown by the next calls, in order. */
  failures: Error[] = [];
  /** Fails every call for items with this title. */
  failTitle?: string;
  delayMs = 0;
  /** A check-in of another device is active until then (409). */
  otherCheckinUntil?: string;
  private readonly scrobbled = new Map<string, string>();

  async scrobble(action: ScrobbleAction, item: MediaItem, progress: number): Promise<ScrobbleResult> {
    const title = titleOf(item);
    this.calls.push({ kind: action, title, progress, at: Date.now() });
    await this.answer(title);
    if (action !== 'stop' || progress < 80) return { action: action === 'start' ? 'start' : 'pause', progress };
    const earlier = this.scrobbled.get(title);
    if (earlier) return { action: 'scrobble', progress, alreadyScrobbled: true, watchedAt: earlier };
    const watchedAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    this.scrobbled.set(title, watchedAt);
    return { action: 'scrobble', progress, watchedAt };
  }

  async checkin(item: MediaItem): Promise<CheckinResult> {
    const title = titleOf(item);
    this.calls.push({ kind: 'checkin', title, at: Date.now() });
    await this.answer(title);
    if (this.otherCheckinUntil) return { checkedIn: false, expiresAt: this.otherCheckinUntil };
    return { checkedIn: true, watchedAt: new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString() };
  }

  async cancelCheckin(): Promise<void> {
    this.calls.push({ kind: 'cancel', title: '', at: Date.now() });
    await this.answer('');
  }

  get kinds(): string[] {
    return this.calls.map((c) => c.kind);
  }

  private async answer(title: string): Promise<void> {
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (this.failTitle && title === this.failTitle) throw new Error(`FakeTrakt is down for ${title}`);
  }
}

function titleOf(item: MediaItem): string {
  return item.type === 'episode' ? `${item.show?.title} ${item.season}x${item.episode}` : (item.title ?? '');
}

export const movie = (title = 'Inception', ids: MediaItem['ids'] = { imdb: 'tt1375666' }, year = 2010): MediaItem => ({ type: 'movie', title, year, ids });

/** The same episode as a Tautulli webhook reports it (show ids, plex episode guid) … */
export const tautulliEpisode = (): MediaItem => ({
  type: 'episode',
  title: 'Pilot',
  season: 1,
  episode: 1,
  show: { title: 'Breaking Bad', ids: { tvdb: 81189, imdb: 'tt0903747' } },
  ids: { plex: '5d9c086c46115600200aa2fe' },
  source: { kind: 'tautulli', user: 'alice' },
});

/** … and as a Plex webhook does (the episode's own ids, the show by title only). */
export const plexEpisode = (): MediaItem => ({
  type: 'episode',
  title: 'Pilot',
  season: 1,
  episode: 1,
  show: { title: 'Breaking Bad' },
  ids: { tvdb: 349232, imdb: 'tt0959621', plex: '5d9c086c46115600200aa2fe' },
  source: { kind: 'plex', user: 'alice' },
});

export function event(item: MediaItem, action: ScrobbleAction | string, progress: number | undefined, user = 'alice'): ScrobbleEvent {
  const withAction = { ...item, action, progress } as MediaItem;
  if (progress === undefined) delete withAction.progress;
  return { item: withAction, user };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A history tracker that accepts every play and remembers what it was sent (for HistorySync). */
export class RecordingTracker implements TrackerProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'FakeTrakt';
  readonly added: MediaItem[][] = [];

  async accountKey(): Promise<string> {
    return 'trakt:fake';
  }

  async addHistory(plays: MediaItem[]): Promise<AddHistoryResult> {
    this.added.push(plays);
    return { notFound: [], added: { movies: plays.filter((p) => p.type === 'movie').length, episodes: plays.filter((p) => p.type === 'episode').length } };
  }

  async readHistory(): Promise<MediaItem[]> {
    return [];
  }
}
