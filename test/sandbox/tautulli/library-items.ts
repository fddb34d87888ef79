// Creates Plex library entries on demand: one rating key per (agent, item), so every play of the
// same thing under the same agent shares a key; episodes bring their show and season along.
import { externalGuids, guidFor } from './guids';
import type { EpisodeSpec, MovieSpec, ShowSpec } from './library-titles';
import { hexId } from './prng';
import type { GuidKind, TautulliItem } from './types';

// Libraries the way people split them: new-agent, legacy, anime, and files without metadata.
const SECTIONS: Record<string, [number, string]> = {
  'movie:plex': [1, 'Movies'],
  'episode:plex': [2, 'TV Shows'],
  'movie:legacy': [3, 'Movies (Legacy)'],
  'episode:legacy': [4, 'TV Shows (Legacy)'],
  'episode:anime': [5, 'Anime'],
  'movie:files': [6, 'Home Videos'],
  'episode:files': [7, 'TV Rips'],
};

function section(kind: GuidKind, media: 'movie' | 'episode'): [number, string] {
  const group = kind === 'plex' ? 'plex' : kind.startsWith('hama') ? 'anime' : kind === 'local' || kind === 'none' ? 'files' : 'legacy';
  return SECTIONS[`${media}:${group}`] ?? SECTIONS[`${media}:legacy`];
}

/** Stable number in [min, max] from a key, so durations do not depend on the play order. */
const spread = (key: string, min: number, max: number): number => min + (Number.parseInt(hexId(key, 6), 16) % (max - min + 1));

// Real run times of the catalog's shows; generated shows get 25-60 minutes.
const EPISODE_MINUTES: Record<string, number> = { 'show:9100001': 55, 'show:9100002': 29, 'show:9100003': 22, 'show:9100004': 50, 'show:9100005': 52, 'show:9100006': 24 };

const pad = (n: number): string => String(n).padStart(2, '0');

export class LibraryBuilder {
  readonly items: TautulliItem[] = [];
  private readonly byKey = new Map<string, TautulliItem>();
  private nextKey = 1001;

  constructor(private readonly addedAt: number) {}

  movie(kind: GuidKind, spec: MovieSpec): TautulliItem {
    return this.once(`${kind}|${spec.key}`, (ratingKey) => {
      const [sectionId, libraryName] = section(kind, 'movie');
      return {
        ...this.base(ratingKey, 'movie', kind, spec.ids, {}, `${kind}|${spec.key}`),
        title: spec.title,
        originalTitle: spec.originalTitle,
        year: spec.year,
        originallyAvailableAt: `${spec.year}-${pad(spread(spec.key, 1, 12))}-${pad(spread(`${spec.key}d`, 1, 28))}`,
        durationMs: spread(spec.key, 85, 160) * 60_000 + spread(spec.key, 0, 59) * 1000,
        sectionId,
        libraryName,
        trakt: spec.trakt === null ? null : { type: 'movie', id: spec.trakt },
      };
    });
  }

  episode(kind: GuidKind, spec: EpisodeSpec): TautulliItem {
    const show = this.show(kind, spec.show);
    const season = this.season(kind, spec.show, spec.season, show);
    return this.once(`${kind}|${spec.show.key}|${spec.season}|${spec.episode}`, (ratingKey) => ({
      ...this.base(ratingKey, 'episode', kind, spec.ids, { season: spec.season, episode: spec.episode }, `${kind}|${spec.show.key}|${spec.season}|${spec.episode}`, spec.show.ids),
      title: spec.title,
      year: spec.year,
      originallyAvailableAt: `${spec.year}-${pad(((spec.episode - 1) % 12) + 1)}-${pad(spread(`${spec.show.key}|${spec.episode}`, 1, 28))}`,
      parentRatingKey: season.ratingKey,
      grandparentRatingKey: show.ratingKey,
      index: spec.episode,
      parentIndex: spec.season,
      durationMs: (EPISODE_MINUTES[spec.show.key] ?? spread(spec.show.key, 25, 60)) * 60_000 + spread(`${spec.show.key}|${spec.season}|${spec.episode}`, 0, 240) * 1000,
      sectionId: show.sectionId,
      libraryName: show.libraryName,
      trakt: spec.trakt === null ? null : { type: 'episode', id: spec.trakt },
    }));
  }

  private show(kind: GuidKind, spec: ShowSpec): TautulliItem {
    return this.once(`${kind}|${spec.key}`, (ratingKey) => {
      const [sectionId, libraryName] = section(kind, 'episode');
      return {
        ...this.base(ratingKey, 'show', kind, spec.ids, {}, `${kind}|${spec.key}`),
        title: spec.title,
        year: spec.year,
        originallyAvailableAt: spec.year === '' ? '' : `${spec.year}-01-01`,
        sectionId,
        libraryName,
        trakt: spec.trakt === null ? null : { type: 'show', id: spec.trakt },
      };
    });
  }

  private season(kind: GuidKind, spec: ShowSpec, number: number, show: TautulliItem): TautulliItem {
    // Plex season guids follow the show's agent; new-agent seasons carry no external ids here.
    return this.once(`${kind}|${spec.key}|${number}`, (ratingKey) => ({
      ...this.base(ratingKey, 'season', kind, kind === 'plex' ? {} : spec.ids, { season: number }, `${kind}|${spec.key}|${number}`),
      title: `Season ${number}`,
      parentRatingKey: show.ratingKey,
      index: number,
      sectionId: show.sectionId,
      libraryName: show.libraryName,
      trakt: null,
    }));
  }

  private base(
    ratingKey: number,
    media: TautulliItem['mediaType'],
    kind: GuidKind,
    ids: MovieSpec['ids'],
    pos: { season?: number; episode?: number },
    seed: string,
    showIds: MovieSpec['ids'] = ids,
  ): TautulliItem {
    // Legacy episode/season guids name the show's id plus numbers; a movie or show its own id.
    const guidIds = media === 'episode' || media === 'season' ? showIds : ids;
    return {
      ratingKey,
      mediaType: media,
      title: '',
      originalTitle: '',
      year: '',
      originallyAvailableAt: '',
      guid: guidFor(kind, media, guidIds, pos, kind === 'local' ? String(ratingKey) : seed),
      guids: externalGuids(kind, ids),
      parentRatingKey: '',
      grandparentRatingKey: '',
      index: '',
      parentIndex: '',
      durationMs: 0,
      sectionId: 0,
      libraryName: '',
      addedAt: this.addedAt + ratingKey * 60,
      guidKind: kind,
      trakt: null,
    };
  }

  private once(key: string, make: (ratingKey: number) => TautulliItem): TautulliItem {
    let item = this.byKey.get(key);
    if (!item) {
      item = make(this.nextKey++);
      this.byKey.set(key, item);
      this.items.push(item);
    }
    return item;
  }
}
