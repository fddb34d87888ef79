/**
 * TVDB show ids by show name. TV Time's seen_episode.csv names the show but gives only the episode's
 * TVDB id; followed_tv_show.csv and user_tv_show_data.csv pair each name with the show's TVDB id.
 */
export class ShowIndex {
  private readonly ids = new Map<string, number>();

  add(name: string, tvdb: number | undefined): void {
    const key = showKey(name);
    if (key && tvdb !== undefined && !this.ids.has(key)) this.ids.set(key, tvdb);
  }

  get(name: string): number | undefined {
    return this.ids.get(showKey(name));
  }

  get size(): number {
    return this.ids.size;
  }
}

/** Names match exactly but for case and spacing: both files come from the same export. */
function showKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
