// GET /users/settings and /sync/last_activities.
import { json, type Call, type Reply } from '../http-io';
import type { TraktState } from '../state';

const SINCE = '2020-01-01T00:00:00.000Z';

export function settings(state: TraktState, _call: Call): Reply {
  const username = state.options.username;
  return json(200, {
    user: {
      username,
      private: false,
      name: 'Sandbox User',
      vip: false,
      vip_ep: false,
      ids: { slug: username.toLowerCase() },
      joined_at: SINCE,
      location: '',
      about: '',
      gender: '',
      age: null,
      images: { avatar: { full: '' } },
    },
    account: { timezone: 'UTC', date_format: 'mdy', time_24hr: false, cover_image: null },
    connections: { facebook: false, twitter: false, google: false, tumblr: false, medium: false, slack: false },
    sharing_text: { watching: 'I\'m watching [item]', watched: 'I just watched [item]', rated: '[item] [stars]' },
    // Free-account limits as in Trakt's documentation example.
    limits: { list: { count: 5, item_count: 250 }, watchlist: { item_count: 250 }, recommendations: { item_count: 50 } },
  });
}

export function lastActivities(state: TraktState, _call: Call): Reply {
  const a = state.lastActivities;
  return json(200, {
    all: a.all,
    movies: {
      watched_at: a.moviesWatchedAt,
      collected_at: SINCE,
      rated_at: SINCE,
      watchlisted_at: SINCE,
      recommendations_at: SINCE,
      commented_at: SINCE,
      paused_at: SINCE,
      hidden_at: SINCE,
    },
    episodes: {
      watched_at: a.episodesWatchedAt,
      collected_at: SINCE,
      rated_at: SINCE,
      watchlisted_at: SINCE,
      commented_at: SINCE,
      paused_at: SINCE,
    },
    shows: { rated_at: SINCE, watchlisted_at: SINCE, recommendations_at: SINCE, commented_at: SINCE, hidden_at: SINCE },
    seasons: { rated_at: SINCE, watchlisted_at: SINCE, commented_at: SINCE, hidden_at: SINCE },
    comments: { liked_at: SINCE, blocked_at: SINCE },
    lists: { liked_at: SINCE, updated_at: SINCE, commented_at: SINCE },
    watchlist: { updated_at: SINCE },
    recommendations: { updated_at: SINCE },
    account: { settings_at: SINCE, followed_at: SINCE, following_at: SINCE, pending_at: SINCE, requested_at: SINCE },
    saved_filters: { updated_at: SINCE },
  });
}
