// cmd=get_metadata (api-facts §3.3): numbers as strings, external ids only for new-agent items
// (`guids`, `grandparent_guids`); an unknown rating_key is a success with data {}.
import type { TautulliState } from './state';
import type { TautulliItem } from './types';

const str = (v: number | string | ''): string => (v === '' ? '' : String(v));

function related(state: TautulliState, key: number | ''): TautulliItem | undefined {
  return key === '' ? undefined : state.items.get(key);
}

function describe(item: TautulliItem, parent: TautulliItem | undefined, grandparent: TautulliItem | undefined): Record<string, unknown> {
  // For a season the show is the parent; for an episode the season is the parent and the show the grandparent.
  const show = item.mediaType === 'episode' ? grandparent : item.mediaType === 'season' ? parent : undefined;
  return {
    media_type: item.mediaType,
    section_id: String(item.sectionId),
    library_name: item.libraryName,
    rating_key: String(item.ratingKey),
    parent_rating_key: str(item.parentRatingKey),
    grandparent_rating_key: str(item.grandparentRatingKey),
    title: item.title,
    parent_title: parent?.title ?? '',
    grandparent_title: grandparent?.title ?? '',
    original_title: item.originalTitle,
    sort_title: item.title,
    full_title: item.mediaType === 'episode' && show ? `${show.title} - ${item.title}` : item.title,
    media_index: str(item.index),
    parent_media_index: str(item.parentIndex),
    year: str(item.year),
    parent_year: str(parent?.year ?? ''),
    grandparent_year: str(grandparent?.year ?? ''),
    originally_available_at: item.originallyAvailableAt,
    added_at: String(item.addedAt),
    updated_at: String(item.addedAt),
    last_viewed_at: '',
    guid: item.guid,
    guids: [...item.guids],
    parent_guid: parent?.guid ?? '',
    parent_guids: parent ? [...parent.guids] : [],
    grandparent_guid: grandparent?.guid ?? '',
    grandparent_guids: grandparent ? [...grandparent.guids] : [],
    duration: String(item.durationMs),
    live: 0,
    thumb: `/library/metadata/${item.ratingKey}/thumb/${item.addedAt}`,
    user_rating: '',
  };
}

export function getMetadata(state: TautulliState, params: URLSearchParams): unknown {
  const raw = (params.get('rating_key') ?? '').trim();
  state.metadataCalls.set(raw, (state.metadataCalls.get(raw) ?? 0) + 1);
  const item = /^\d+$/.test(raw) ? state.items.get(Number(raw)) : undefined;
  if (!item) return {};
  const parent = related(state, item.parentRatingKey);
  const grandparent = related(state, item.grandparentRatingKey);
  return describe(item, parent, grandparent);
}
