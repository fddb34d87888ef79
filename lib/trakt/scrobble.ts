import type { AxiosRequestConfig, AxiosResponse } from 'axios';
import { ClawarrError } from '../core/errors';
import type { CheckinResult, ScrobbleAction, ScrobbleProvider, ScrobbleResult } from '../provider';
import type { MediaItem } from '../schema/types';
import type { TraktClient } from './client';
import { rowToItem, traktIds } from './mapping';
import type { TraktHistoryRow, TraktIds } from './types';

/** Episode ids /scrobble matches on (an episode has no slug). */
const EPISODE_ID_KEYS = ['trakt', 'imdb', 'tmdb', 'tvdb'] as const;

interface TraktScrobbleAnswer {
  id?: number;
  action?: string;
  progress?: number;
  watched_at?: string;
  expires_at?: string;
  movie?: TraktHistoryRow['movie'];
  episode?: TraktHistoryRow['episode'];
  show?: TraktHistoryRow['show'];
}

/**
 * Trakt's live playback (api-facts §1.10): /scrobble/{start,pause,stop} and /checkin. Writes go
 * through the account's limiter and session like every other Trakt write; 409 is read as an answer
 * (already scrobbled, check-in active), not as an error.
 */
export class TraktScrobbler implements ScrobbleProvider {
  readonly kind = 'trakt' as const;
  readonly label = 'Trakt';

  constructor(
    private readonly client: TraktClient,
    private readonly now: () => number = Date.now,
  ) {}

  async scrobble(action: ScrobbleAction, item: MediaItem, progress: number): Promise<ScrobbleResult> {
    const sent = roundProgress(progress);
    const response = await this.post<TraktScrobbleAnswer>(`/scrobble/${action}`, { ...scrobbleBody(item), progress: sent });
    const data = response.data ?? {};
    if (response.status === 409) {
      // Trakt's answer to a repeat stop within its hour: the play is already on Trakt, which is success.
      if (action !== 'stop') throw new ClawarrError(`Trakt answered 409 to scrobble/${action}`, 'bad_request', 409);
      return { action: 'scrobble', progress: sent, alreadyScrobbled: true, watchedAt: data.watched_at };
    }
    const answered = data.action === 'start' || data.action === 'pause' || data.action === 'scrobble' ? data.action : fallbackAction(action);
    const result: ScrobbleResult = { action: answered, progress: typeof data.progress === 'number' ? data.progress : sent };
    // A 201 carries no watched_at: Trakt files the play at the time of the request, to the minute.
    if (answered === 'scrobble') result.watchedAt = minuteIso(this.now());
    const echoed = echoedItem(data);
    if (echoed) result.item = echoed;
    return result;
  }

  async checkin(item: MediaItem): Promise<CheckinResult> {
    const response = await this.post<TraktScrobbleAnswer>('/checkin', scrobbleBody(item));
    const data = response.data ?? {};
    if (response.status === 409) return { checkedIn: false, expiresAt: data.expires_at };
    return { checkedIn: true, watchedAt: data.watched_at ?? minuteIso(this.now()) };
  }

  async cancelCheckin(): Promise<void> {
    const { http, session } = this.client;
    await session.withToken((token) => http.delete<unknown>('/checkin', { headers: { Authorization: `Bearer ${token}` } }));
  }

  /**
   * A POST that hands 409 bodies back: the HttpClient turns every non-2xx into an error without its
   * body, so this goes to axios directly, keeping the write limiter, the 429 waits and the token retry.
   */
  private post<T>(path: string, body: unknown): Promise<AxiosResponse<T>> {
    const { http, session } = this.client;
    return session.withToken((token) => {
      const config: AxiosRequestConfig = {
        method: 'POST',
        url: path,
        data: body,
        headers: { Authorization: `Bearer ${token}` },
        validateStatus: (status) => (status >= 200 && status < 300) || status === 409,
      };
      return http.limiter.write(async () => {
        try {
          return await http.axios.request<T>(config);
        } catch (error) {
          const mapped = http.toClawarrError(error, config);
          if (mapped.status === 422) throw new ClawarrError('progress below 1 % is not scrobbled (Trakt answered 422)', 'bad_request', 422);
          throw mapped;
        }
      });
    });
  }
}

/**
 * The media part of a scrobble or check-in: a movie by ids (title and year as Trakt's fallback), an
 * episode by its own ids when it has ids Trakt matches, else its show and numbers.
 */
export function scrobbleBody(item: MediaItem): Record<string, unknown> {
  if (item.type === 'movie') return { movie: compact({ title: item.title, year: item.year, ids: traktIds(item.ids) }) };
  const episodeIds = episodeTraktIds(item.ids);
  if (episodeIds) return { episode: { ids: episodeIds } };
  const show = item.show ?? {};
  return {
    show: compact({ title: show.title, year: show.year, ids: traktIds(show.ids) }),
    episode: { season: item.season ?? 1, number: item.episode ?? 0 },
  };
}

function episodeTraktIds(ids: MediaItem['ids']): TraktIds | undefined {
  const all = traktIds(ids);
  if (!all) return undefined;
  const out: TraktIds = {};
  for (const key of EPISODE_ID_KEYS) if (all[key] !== undefined) (out as Record<string, unknown>)[key] = all[key];
  return Object.keys(out).length ? out : undefined;
}

/** Trakt takes progress as a float 0–100; two decimals is what Simkl allows too. */
export function roundProgress(progress: number): number {
  return Math.min(100, Math.max(0, Math.round(progress * 100) / 100));
}

function fallbackAction(action: ScrobbleAction): ScrobbleResult['action'] {
  return action === 'start' ? 'start' : 'pause';
}

function minuteIso(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
}

/** The item as Trakt echoed it (ids filled in), in the shape of a media item. */
function echoedItem(data: TraktScrobbleAnswer): MediaItem | undefined {
  if (data.movie) return stripTime(rowToItem({ id: 0, watched_at: '', action: '', type: 'movie', movie: { ...data.movie, ids: data.movie.ids ?? {} } }));
  if (data.episode) {
    const episode = { ...data.episode, ids: data.episode.ids ?? {} };
    const show = data.show ? { ...data.show, ids: data.show.ids ?? {} } : undefined;
    return stripTime(rowToItem({ id: 0, watched_at: '', action: '', type: 'episode', episode, show }));
  }
  return undefined;
}

function stripTime(item: MediaItem): MediaItem {
  delete item.watchedAt;
  return item;
}

function compact<T extends object>(object: T): T {
  for (const key of Object.keys(object) as Array<keyof T>) if (object[key] === undefined) delete object[key];
  return object;
}
