import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeProblem } from '../../lib/schema/validate';
import type { MediaItem } from '../../lib/schema/types';
import { fromPlexWebhook, fromTautulliWebhook, type WebhookResult } from '../../lib/tautulli/webhook';

const text = (dir: string, name: string): string => readFileSync(join(__dirname, '..', 'fixtures', dir, name), 'utf8');
const json = (dir: string, name: string): Record<string, unknown> => JSON.parse(text(dir, name)) as Record<string, unknown>;
const NOW = new Date('2024-06-02T20:00:00.000Z');

function item(result: WebhookResult): MediaItem {
  expect(result.error, 'no error').to.equal(undefined);
  expect(result.item, 'an item').to.not.equal(undefined);
  expect(describeProblem(result.item), 'the item passes the media item schema').to.equal(undefined);
  return result.item!;
}

describe('lib/tautulli/webhook fromTautulliWebhook', () => {
  const episodeBody = json('tautulli', 'webhook_posted_body_episode.json');

  it('episode "watched" → a play with the SHOW ids, numbers, the episode title and watched_at as UTC', () => {
    expect(item(fromTautulliWebhook(episodeBody, NOW))).to.deep.equal({
      type: 'episode',
      title: 'The Red Woman',
      season: 6,
      episode: 1,
      show: { title: 'Game of Thrones', ids: { imdb: 'tt0944947', tmdb: 1399, tvdb: 121361 } },
      watchedAt: '2024-06-02T18:45:00.123Z',
      progress: 91,
      source: { kind: 'tautulli', ref: '153037', user: 'DanyKhaleesi69' },
    });
  });

  it('accepts the body as JSON text too (http in without a JSON content type)', () => {
    expect(item(fromTautulliWebhook(JSON.stringify(episodeBody), NOW)).watchedAt).to.equal('2024-06-02T18:45:00.123Z');
  });

  it('play / resume → start, pause → pause, stop → stop, with progress and no watchedAt', () => {
    for (const [action, expected] of [
      ['play', 'start'],
      ['resume', 'start'],
      ['pause', 'pause'],
      ['stop', 'stop'],
    ]) {
      const event = item(fromTautulliWebhook({ ...episodeBody, action, progress_percent: '42' }, NOW));
      expect(event.action, action).to.equal(expected);
      expect(event.progress).to.equal(42);
      expect(event).to.not.have.property('watchedAt');
    }
  });

  it('a movie: its own ids (no tvdb), year as a number', () => {
    const movie = item(
      fromTautulliWebhook(
        { action: 'watched', media_type: 'movie', title: 'Léon: The Professional', year: '1994', imdb_id: 'tt0110413', tmdb_id: '101', tvdb_id: '', guid: 'com.plexapp.agents.imdb://tt0110413?lang=en', rating_key: '2210', progress_percent: '100', user: 'jonsnow', watched_at: '2015-12-13T12:15:00' },
        NOW,
      ),
    );
    expect(movie).to.deep.equal({
      type: 'movie',
      title: 'Léon: The Professional',
      year: 1994,
      ids: { imdb: 'tt0110413', tmdb: 101 },
      watchedAt: '2015-12-13T12:15:00.000Z',
      progress: 100,
      source: { kind: 'tautulli', ref: '2210', user: 'jonsnow' },
    });
  });

  it('parameters Tautulli left unsubstituted ("{thetvdb_id}") and empty ones count as missing; no watched_at means now', () => {
    const result = item(fromTautulliWebhook({ ...episodeBody, tvdb_id: '{thetvdb_id}', imdb_id: '', watched_at: '{utctime}' }, NOW));
    expect(result.show?.ids).to.deep.equal({ tmdb: 1399 });
    expect(result.watchedAt).to.equal(NOW.toISOString());
  });

  it('a legacy guid fills show ids the template did not send', () => {
    const result = item(fromTautulliWebhook({ ...episodeBody, imdb_id: '', tmdb_id: '', tvdb_id: '', guid: 'com.plexapp.agents.thetvdb://121361/6/1?lang=en' }, NOW));
    expect(result.show?.ids).to.deep.equal({ tvdb: 121361 });
  });

  it('the template, filled in by Tautulli for an episode, gives the same play as the posted sample', () => {
    // Tautulli's parameters for the sample's episode; the template maps {themoviedb_id} / {thetvdb_id} to tmdb_id / tvdb_id.
    const params: Record<string, string> = {
      action: 'watched', media_type: 'episode', title: 'Game of Thrones - The Red Woman', show_name: 'Game of Thrones', season_num: '6', episode_num: '1',
      year: '2016', imdb_id: 'tt0944947', themoviedb_id: '1399', thetvdb_id: '121361', guid: 'plex://episode/5d9c1276e9d5a1001f4ff2fa', rating_key: '153037',
      progress_percent: '91', username: 'DanyKhaleesi69', user_id: '8008135', utctime: '2024-06-02T18:45:00.123456',
    };
    const filled = text('tautulli', 'webhook_template_watched.json').replace(/\{([a-z_]+)\}/g, (_, name: string) => params[name]);
    expect(item(fromTautulliWebhook(JSON.parse(filled), NOW))).to.deep.equal(item(fromTautulliWebhook(episodeBody, NOW)));
  });

  it('the raw template (a test notification with nothing substituted) is refused, not taken as a play', () => {
    expect(fromTautulliWebhook(json('tautulli', 'webhook_template_watched.json'), NOW).error).to.match(/no "action"/);
  });

  it('bad bodies give a clear sentence, never a throw', () => {
    const cases: Array<[unknown, RegExp]> = [
      [undefined, /not a JSON object/],
      ['not json', /not a JSON object/],
      [[1, 2], /not a JSON object/],
      [{ media_type: 'movie' }, /no "action"/],
      [{ ...episodeBody, action: 'buffer' }, /action "buffer" is not a playback event clawarr handles/],
      [{ ...episodeBody, media_type: 'track' }, /media type "track": only movie and episode/],
      [{ ...episodeBody, season_num: '{season_num}' }, /without "season_num"/],
      [{ ...episodeBody, show_name: '', imdb_id: '', tmdb_id: '', tvdb_id: '' }, /without "show_name"/],
      [{ ...episodeBody, watched_at: 'yesterday' }, /"watched_at" "yesterday" is not a date/],
      [{ action: 'watched', media_type: 'movie', title: '' }, /movie without "title"/],
    ];
    for (const [body, reason] of cases) {
      const result = fromTautulliWebhook(body, NOW);
      expect(result.item, JSON.stringify(body)).to.equal(undefined);
      expect(result.error).to.match(reason);
    }
  });
});

describe('lib/tautulli/webhook fromPlexWebhook', () => {
  it('media.scrobble of an episode → a play now, with the EPISODE ids from Metadata.Guid and the show by title', () => {
    expect(item(fromPlexWebhook(json('plex', 'webhook_media_scrobble_episode.payload.json'), NOW))).to.deep.equal({
      type: 'episode',
      title: 'The Red Woman',
      season: 6,
      episode: 1,
      show: { title: 'Game of Thrones' },
      ids: { imdb: 'tt3658014', tmdb: 1156503, tvdb: 5469015 },
      watchedAt: NOW.toISOString(),
      source: { kind: 'plex', ref: '153037', user: 'elan' },
    });
  });

  it('media.play of a legacy-agent movie → start, ids from the legacy guid, payload given as the form field text', () => {
    expect(item(fromPlexWebhook(text('plex', 'webhook_media_play_movie_legacy_agent.payload.json'), NOW))).to.deep.equal({
      type: 'movie',
      title: 'Léon: The Professional',
      year: 1994,
      ids: { imdb: 'tt0110413' },
      action: 'start',
      source: { kind: 'plex', ref: '2210', user: 'Anna' },
    });
  });

  it('maps media.resume / pause / stop, and progress from viewOffset / duration', () => {
    const base = json('plex', 'webhook_media_scrobble_episode.payload.json');
    const meta = base.Metadata as Record<string, unknown>;
    for (const [event, action] of [
      ['media.resume', 'start'],
      ['media.pause', 'pause'],
      ['media.stop', 'stop'],
    ]) {
      const result = item(fromPlexWebhook({ ...base, event, Metadata: { ...meta, viewOffset: 1500000, duration: 3000000 } }, NOW));
      expect(result.action, event).to.equal(action);
      expect(result.progress).to.equal(50);
      expect(result).to.not.have.property('watchedAt');
    }
  });

  it('a legacy-agent episode gets its show ids from the guid', () => {
    const base = json('plex', 'webhook_media_scrobble_episode.payload.json');
    const meta = { ...(base.Metadata as Record<string, unknown>), guid: 'com.plexapp.agents.thetvdb://121361/6/1?lang=en', Guid: undefined };
    const result = item(fromPlexWebhook({ ...base, Metadata: meta }, NOW));
    expect(result.show?.ids).to.deep.equal({ tvdb: 121361 });
    expect(result).to.not.have.property('ids');
  });

  it('unknown events, other media and bad payloads give a sentence, never a throw', () => {
    const base = json('plex', 'webhook_media_scrobble_episode.payload.json');
    const cases: Array<[unknown, RegExp]> = [
      [{ ...base, event: 'library.new' }, /event "library.new" is not a playback event/],
      [{ ...base, event: 'media.rate' }, /event "media.rate" is not a playback event/],
      [{ ...base, Metadata: { ...(base.Metadata as object), type: 'track' } }, /for a track: only movies and episodes/],
      [{ ...base, Metadata: undefined }, /without "Metadata"/],
      [{ ...base, Metadata: { ...(base.Metadata as object), index: undefined } }, /without season or episode number/],
      [{ Account: {} }, /no "event"/],
      ['<html>', /not JSON/],
      [null, /not JSON/],
    ];
    for (const [payload, reason] of cases) {
      const result = fromPlexWebhook(payload, NOW);
      expect(result.item).to.equal(undefined);
      expect(result.error).to.match(reason);
    }
  });
});
