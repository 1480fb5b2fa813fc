// Splits text into words and groups capitalised ones into runs that could be a person's name:
// "Ryan P Costa", "Maika van de Noort", "O'Brien". Classifying a run is person-name.detector's job.
import { lexicon } from './lexicon';

export type WordKind =
  | 'title' // Mr, Dr, Frau...
  | 'initial' // "P", "K."
  | 'particle' // van, de, von...
  | 'name' // in the names lexicon and not an everyday word
  | 'unknown' // capitalised, in neither the names lexicon nor an English dictionary
  | 'ambiguous' // a name that is also an everyday word: Grace, Will, Mark
  | 'place' // a country, state or big city
  | 'word'; // an everyday word

export interface Word {
  text: string;
  start: number;
  end: number;
  capitalised: boolean;
  kind: WordKind;
  /** written with a trailing 's: "Amanda's" (the span excludes it) */
  possessive: boolean;
}

const WORD = /[\p{L}][\p{L}\p{M}'’\-]*\.?/gu;
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'madam', 'mister', 'herr', 'frau', 'sr', 'sra', 'mme', 'mlle',
]);
// Capitalised everyday words the dictionary (lower-case) misses: days, the pronoun I,
// nationalities and languages. Small and closed, so listed here rather than pulled from a package.
const NOT_NAMES = new Set([
  'i', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'march', 'july', 'september', 'october', 'november', 'december', 'english', 'american', 'british', 'canadian',
  'australian', 'german', 'french', 'spanish', 'italian', 'greek', 'czech', 'polish', 'dutch', 'swedish',
  'norwegian', 'danish', 'finnish', 'icelandic', 'hungarian', 'russian', 'chinese', 'japanese', 'korean',
  'indian', 'mexican', 'brazilian', 'portuguese', 'turkish', 'irish', 'scottish', 'welsh', 'european',
  'african', 'asian', 'arab', 'arabic', 'latin', 'swiss', 'austrian', 'belgian', 'israeli', 'ukrainian',
  'bot', 'user', 'fax', 'phone', 'email', 'e-mail', 'mobile', 'desk', 'office', 'website', 'address', 'name',
  "i'm", "i'd", "i've", "i'll", 'princess', 'prince', 'queen', 'duke', 'duchess', 'saint',
  'ok', 'okay', 'hi', 'hello', 'hey', 'thanks', 'yes', 'no', 'sure', 'please', 'btw', 'lol', 'ceo', "c'mon",
  // company-form words: a run holding one is an organisation
  'inc', 'llc', 'ltd', 'corp', 'plc', 'gmbh', 'group', 'co',
]);
const PARTICLES = new Set(['van', 'de', 'der', 'den', 'von', 'da', 'di', 'du', 'del', 'della', 'dos', 'das', 'le', 'la', 'bin', 'ibn', 'al', 'ter', 'ten', 'zu', 'af']);

// Word kinds depend only on the word and the lexicon, and chat reuses few words a lot, so kinds
// are remembered; the cache is emptied when full to keep memory bounded in a long-running service.
const KIND_CACHE_SIZE = 50_000;
const kinds = new Map<string, WordKind>();

export function kindOf(raw: string): WordKind {
  let kind = kinds.get(raw);
  if (kind === undefined) {
    if (kinds.size >= KIND_CACHE_SIZE) kinds.clear();
    kind = classify(raw);
    kinds.set(raw, kind);
  }
  return kind;
}

function classify(raw: string): WordKind {
  const { names, commonWords, englishWords, places } = lexicon();
  const bare = raw.replace(/\.$/, '');
  const lower = bare.toLowerCase();
  if (TITLES.has(lower) && (/^\p{Lu}/u.test(bare) || raw.endsWith('.'))) return 'title';
  if (/^\p{Lu}\.$/u.test(raw)) return 'initial';
  if (NOT_NAMES.has(lower)) return 'word';
  if (/^\p{L}$/u.test(bare) && bare !== 'a') return 'initial';
  if (PARTICLES.has(bare)) return 'particle';
  const parts = lower.split('-').filter(Boolean);
  if (parts.length > 1) {
    // Double-barrelled: "Smith-Jones" is a name when each half is.
    return parts.every((p) => names.has(p) || !englishWords.has(p)) && !parts.some((p) => commonWords.has(p)) ? 'name' : 'word';
  }
  const isName = names.has(lower);
  if (places.has(lower)) return 'place';
  if (commonWords.has(lower)) return isName ? 'ambiguous' : 'word';
  if (isName) return 'name';
  return englishWords.has(lower) ? 'word' : 'unknown';
}

export function words(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    let raw = m[0];
    const start = m.index ?? 0;
    let possessive = false;
    if (/['’]s$/.test(raw)) {
      raw = raw.slice(0, -2);
      possessive = true;
    }
    raw = raw.replace(/['’\-]+$/, '');
    // Keep the dot only on abbreviations (titles and initials), not at sentence ends.
    if (raw.endsWith('.') && !/^(?:\p{Lu}|mr|mrs|ms|dr|prof|sr|sra|mme|mlle)\.$/iu.test(raw)) raw = raw.slice(0, -1);
    if (!raw) continue;
    const bare = raw.replace(/\.$/, '');
    const capitalised = /^\p{Lu}/u.test(bare) && !(bare.length > 1 && bare === bare.toUpperCase());
    out.push({ text: raw, start, end: start + raw.length, capitalised, kind: kindOf(raw), possessive });
  }
  return out;
}

/** True when only spaces (no punctuation or line break) separate the two words. */
export function adjacent(text: string, a: Word, b: Word): boolean {
  return /^[ \t]+$/.test(text.slice(a.end, b.start)) && !a.possessive;
}

/** True when the word starts a sentence, a line or a quoted utterance. */
export function startsSentence(text: string, w: Word): boolean {
  const head = text.slice(0, w.start).replace(/[\s"'“”‘>*•\-–(]+$/u, '');
  return head === '' || /[.!?:\n]$/.test(head) || /\n\s*[>•*\-–]?\s*$/.test(text.slice(0, w.start));
}
