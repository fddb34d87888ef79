// Real titles with their real external ids, so the example flows (written for real Trakt) also land
// on the sandbox, plus the matching traps a title search must survive: remakes, accents and
// punctuation, same-name shows, an anime numbered by season. Trakt ids come from reserved ranges
// (movies 90000xx, shows 91000xx, episodes 92xxxxx) that the generated catalog never reaches.
import type { Episode, Movie, Season, Show } from './types';

const movie = (trakt: number, slug: string, imdb: string, tmdb: number, title: string, year: number, aliases?: string[]): Movie => ({
  trakt,
  slug,
  imdb,
  tmdb,
  title,
  year,
  ...(aliases ? { aliases } : {}),
});

export const CLASSIC_MOVIES: Movie[] = [
  movie(9000001, 'inception-2010', 'tt1375666', 27205, 'Inception', 2010),
  movie(9000002, 'batman-begins-2005', 'tt0372784', 272, 'Batman Begins', 2005),
  movie(9000003, 'the-matrix-1999', 'tt0133093', 603, 'The Matrix', 1999),
  movie(9000004, 'tron-legacy-2010', 'tt1104001', 20526, 'TRON: Legacy', 2010),
  // Remakes: same title, only the year tells them apart.
  movie(9000005, 'the-lion-king-1994', 'tt0110357', 8587, 'The Lion King', 1994),
  movie(9000006, 'the-lion-king-2019', 'tt6105098', 420818, 'The Lion King', 2019),
  movie(9000007, 'dune-1984', 'tt0087182', 841, 'Dune', 1984),
  movie(9000008, 'dune-2021', 'tt1160419', 438631, 'Dune', 2021),
  movie(9000009, 'total-recall-1990', 'tt0100802', 861, 'Total Recall', 1990),
  movie(9000010, 'total-recall-2012', 'tt1386703', 64635, 'Total Recall', 2012),
  // Accents and punctuation that file names and other sources drop.
  movie(9000011, 'amelie-2001', 'tt0211915', 194, 'Amélie', 2001, ["Le Fabuleux Destin d'Amélie Poulain"]),
  movie(9000012, 'leon-the-professional-1994', 'tt0110413', 101, 'Léon: The Professional', 1994, ['Léon', 'The Professional']),
  movie(9000013, 'star-wars-episode-iv-a-new-hope-1977', 'tt0076759', 11, 'Star Wars: Episode IV - A New Hope', 1977, ['Star Wars']),
  movie(9000014, 'crouching-tiger-hidden-dragon-2000', 'tt0190332', 146, 'Crouching Tiger, Hidden Dragon', 2000, ['臥虎藏龍']),
];

/**
 * Seasons from episode titles. Episode ids other than trakt are fake (real ones are not needed and
 * not known here) but unique: tvdb 98xxxxx, tmdb 97xxxxx, imdb tt96xxxxx, offset like the trakt id.
 */
function seasons(traktBase: number, bySeason: Record<number, string[]>): Season[] {
  const offset = traktBase - 9200000;
  let k = 0;
  return Object.entries(bySeason).map(([number, titles]) => ({
    number: Number(number),
    episodes: titles.map((title, i): Episode => {
      k++;
      return {
        number: i + 1,
        title,
        ids: { trakt: traktBase + k, tvdb: 9800000 + offset + k, imdb: `tt${9600000 + offset + k}`, tmdb: 9700000 + offset + k },
      };
    }),
  }));
}

const numbered = (count: number): string[] => Array.from({ length: count }, (_, i) => `Episode ${i + 1}`);

const GOT_S6 = ['The Red Woman', 'Home', 'Oathbreaker', 'Book of the Stranger', 'The Door', 'Blood of My Blood', 'The Broken Man', 'No One', 'Battle of the Bastards', 'The Winds of Winter'];
const OFFICE_UK = {
  1: ['Downsize', 'Work Experience', 'The Quiz', 'Training', 'New Girl', 'Judgement'],
  2: ['Merger', 'Appraisals', 'Party', 'Motivation', 'Charity', 'Interview'],
};
const OFFICE_US = {
  1: ['Pilot', 'Diversity Day', 'Health Care', 'The Alliance', 'Basketball', 'Hot Girl'],
  2: ['The Dundies', 'Sexual Harassment', 'Office Olympics', 'The Fire', 'Halloween', 'The Fight', 'The Client', 'Performance Review', 'Email Surveillance', 'Christmas Party', 'Booze Cruise', 'The Injury', 'The Secret', 'The Carpet', 'Boys and Girls', "Valentine's Day", "Dwight's Speech", 'Take Your Daughter to Work Day', "Michael's Birthday", 'Drug Testing', 'Conflict Resolution', 'Casino Night'],
};
const SHAMELESS_US = {
  1: ['Pilot', 'Frank the Plank', 'Aunt Ginger', 'Casey Casden', 'Three Boys', 'Killer Carl', 'Frank Gallagher: Loving Husband, Devoted Father', 'Daddyz Girl', 'But at Last Came a Knock', 'Nana Gallagher Had an Affair', 'Kidnap and Ransom', 'Father Frank, Full of Grace'],
  2: numbered(12),
};
const BEBOP = ['Asteroid Blues', 'Stray Dog Strut', 'Honky Tonk Women', 'Gateway Shuffle', 'Ballad of Fallen Angels', 'Sympathy for the Devil', 'Heavy Metal Queen', 'Waltz for Venus', 'Jamming with Edward', 'Ganymede Elegy', 'Toys in the Attic', 'Jupiter Jazz (Part 1)', 'Jupiter Jazz (Part 2)', 'Bohemian Rhapsody', 'My Funny Valentine', 'Black Dog Serenade', 'Mushroom Samba', 'Speak Like a Child', 'Wild Horses', 'Pierrot le Fou', 'Boogie Woogie Feng Shui', 'Cowboy Funk', 'Brain Scratch', 'Hard Luck Woman', 'The Real Folk Blues (Part 1)', 'The Real Folk Blues (Part 2)'];

export const CLASSIC_SHOWS: Show[] = [
  {
    trakt: 9100001,
    slug: 'game-of-thrones',
    imdb: 'tt0944947',
    tmdb: 1399,
    tvdb: 121361,
    title: 'Game of Thrones',
    year: 2011,
    seasons: [
      {
        number: 6,
        episodes: GOT_S6.map((title, i) => ({
          number: i + 1,
          title,
          ids: { trakt: 9200001 + i, tvdb: 5600000 + i, imdb: `tt${3658000 + i}`, tmdb: 1045000 + i },
        })),
      },
    ],
  },
  // Same title, different countries and years.
  { trakt: 9100002, slug: 'the-office', imdb: 'tt0290978', tmdb: 2996, tvdb: 78107, title: 'The Office', year: 2001, country: 'gb', aliases: ['The Office (UK)'], seasons: seasons(9201000, OFFICE_UK) },
  { trakt: 9100003, slug: 'the-office-2005', imdb: 'tt0386676', tmdb: 2316, tvdb: 73244, title: 'The Office', year: 2005, country: 'us', aliases: ['The Office (US)'], seasons: seasons(9202000, OFFICE_US) },
  // tvdb and tmdb are fake here; tmdb 27205 deliberately equals Inception's movie id so an id
  // lookup without ?type= returns both, as Trakt warns it may.
  { trakt: 9100004, slug: 'shameless', imdb: 'tt0377260', tmdb: 27205, tvdb: 9900004, title: 'Shameless', year: 2004, country: 'gb', aliases: ['Shameless (UK)'], seasons: seasons(9203000, { 1: numbered(7), 2: numbered(8) }) },
  { trakt: 9100005, slug: 'shameless-2011', imdb: 'tt1586680', tmdb: 34307, tvdb: 161511, title: 'Shameless', year: 2011, country: 'us', aliases: ['Shameless (US)'], seasons: seasons(9204000, SHAMELESS_US) },
  // Anime: Plex's HAMA agent names it by AniDB id, which Trakt does not know.
  { trakt: 9100006, slug: 'cowboy-bebop', imdb: 'tt0213338', tmdb: 30991, tvdb: 76885, title: 'Cowboy Bebop', year: 1998, country: 'jp', aliases: ['カウボーイビバップ'], seasons: seasons(9205000, { 1: BEBOP }) },
];
