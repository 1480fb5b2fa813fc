import { FIELD_INDEX, MISSING } from './comparison-fields';
import { areNicknames } from './nicknames';
import type { MailboxParts } from './normalize';
import type { PreparedCandidate } from './prepared-candidate';
import { damerauLevenshtein, jaroWinkler } from './string-similarity';

// Math's functions bound once: in a VM context (Jest) every `Math.x` is a slow global lookup.
const { min } = Math;

// Level indexes, in the order of FIELD_LEVELS in comparison-fields.ts.
const FIRST = { exact: 0, nickname: 1, typo: 2, similar: 3, different: 4 } as const;
const LAST = { exact: 0, typo: 1, similar: 2, different: 3 } as const;

// Thresholds: one typing error in a 5+ letter name keeps Jaro-Winkler above ~0.92; 0.8 still
// catches two errors or a phonetic respelling, and is a weaker level with its own weight.
const NAME_TYPO_SIMILARITY = 0.92;
const NAME_SIMILAR_SIMILARITY = 0.8;
const TEXT_TYPO_SIMILARITY = 0.9;

/** How two names agree, as a first name (with the nickname level) or as a last name. */
export function compareFirstNames(a: string, b: string): number {
  if (a === '' || b === '') return MISSING;
  if (a === b) return FIRST.exact;
  if (areNicknames(a, b)) return FIRST.nickname;
  return nameSimilarityLevel(a, b, FIRST);
}

export function compareLastNames(a: string, b: string): number {
  if (a === '' || b === '') return MISSING;
  if (a === b) return LAST.exact;
  return nameSimilarityLevel(a, b, LAST);
}

function nameSimilarityLevel(a: string, b: string, levels: { typo: number; similar: number; different: number }): number {
  if (damerauLevenshtein(a, b, 1) <= 1) return levels.typo;
  const similarity = jaroWinkler(a, b);
  if (similarity >= NAME_TYPO_SIMILARITY) return levels.typo;
  if (similarity >= NAME_SIMILAR_SIMILARITY) return levels.similar;
  return levels.different;
}

// Agreement strength of a name level, to choose between straight and swapped orientation.
const FIRST_STRENGTH = [4, 3, 2, 1, 0];
const LAST_STRENGTH = [4, 2, 1, 0];

/**
 * Compares first and last names, also crosswise: forms and CRMs often get "Smith John". The
 * crosswise reading wins only if both crosswise names agree at least at typo level and it is
 * stronger than the straight one. Writes both levels and returns whether names were swapped.
 */
export function compareNames(a: PreparedCandidate, b: PreparedCandidate, out: Int8Array, offset: number): boolean {
  const first = compareFirstNames(a.firstName, b.firstName);
  const last = compareLastNames(a.lastName, b.lastName);
  out[offset + FIELD_INDEX.firstName] = first;
  out[offset + FIELD_INDEX.lastName] = last;
  if (first === FIRST.exact && last === LAST.exact) return false;
  if (a.firstName === '' || a.lastName === '' || b.firstName === '' || b.lastName === '') return false;
  const crossFirst = compareLastNames(a.firstName, b.lastName) ;
  const crossLast = compareLastNames(a.lastName, b.firstName);
  if (crossFirst > LAST.typo || crossLast > LAST.typo) return false;
  const straight = FIRST_STRENGTH[first] + LAST_STRENGTH[last];
  const crossed = LAST_STRENGTH[crossFirst] + LAST_STRENGTH[crossLast];
  if (crossed <= straight) return false;
  // Map last-name levels onto first-name levels: exact -> exact, typo -> typo.
  out[offset + FIELD_INDEX.firstName] = crossFirst === LAST.exact ? FIRST.exact : FIRST.typo;
  out[offset + FIELD_INDEX.lastName] = crossLast;
  return true;
}

/** exact / one edit / two edits / different, for digit strings such as ids and dates. */
export function compareByEdits(a: string, b: string, maxEditLevels: number): number {
  if (a === '' || b === '') return MISSING;
  if (a === b) return 0;
  const distance = damerauLevenshtein(a, b, maxEditLevels);
  return distance <= maxEditLevels ? distance : maxEditLevels + 1;
}

/** YYYYMMDD with day and month exchanged, a common slip between date formats. */
export function isDayMonthSwap(a: string, b: string): boolean {
  return a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6);
}

export function compareDatesOfBirth(a: string, b: string): number {
  const level = compareByEdits(a, b, 2);
  // A day/month swap is two substitutions but one mistake: count it as one.
  if (level === 2 && isDayMonthSwap(a, b)) return 1;
  return level;
}

/** exact / typo (Jaro-Winkler) / different, for free text such as streets and suburbs. */
export function compareText(a: string, b: string): number {
  if (a === '' || b === '') return MISSING;
  if (a === b) return 0;
  return jaroWinkler(a, b) >= TEXT_TYPO_SIMILARITY ? 1 : 2;
}

export function compareExact(a: string, b: string): number {
  if (a === '' || b === '') return MISSING;
  return a === b ? 0 : 1;
}

const PLACE = { both: 0, postalCode: 1, locality: 2, near: 3, stateOnly: 4, different: 5 } as const;

/**
 * Where the two live, from postal code, locality and state together: the best of "both agree",
 * "postal code agrees", "locality agrees", "one of them has a typo", "only the state agrees".
 * How much each is worth is learnt per level, which absorbs how strongly the three correlate.
 */
export function comparePlaces(
  a: Pick<PreparedCandidate, 'postalCode' | 'locality' | 'state'>,
  b: Pick<PreparedCandidate, 'postalCode' | 'locality' | 'state'>,
): number {
  const postalCode = compareByEdits(a.postalCode, b.postalCode, 1);
  const locality = compareText(a.locality, b.locality);
  if (postalCode === 0) return locality === 0 ? PLACE.both : PLACE.postalCode;
  if (locality === 0) return PLACE.locality;
  if (postalCode === 1 || locality === 1) return PLACE.near;
  const state = compareExact(a.state, b.state);
  if (postalCode === MISSING && locality === MISSING && state === MISSING) return MISSING;
  return state === 0 ? PLACE.stateOnly : PLACE.different;
}

const EMAIL = { exact: 0, sameMailbox: 1, sameLocalPart: 2, different: 3 } as const;

function compareMailboxes(a: MailboxParts, b: MailboxParts): number {
  if (a.local === b.local && a.domain === b.domain) return EMAIL.exact;
  if (a.canonicalLocal === b.canonicalLocal) return a.domain === b.domain ? EMAIL.sameMailbox : EMAIL.sameLocalPart;
  return EMAIL.different;
}

/** The best agreement between any e-mail of one contact and any of the other. */
export function compareEmails(a: readonly MailboxParts[], b: readonly MailboxParts[]): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  let best: number = EMAIL.different;
  for (const x of a) for (const y of b) best = min(best, compareMailboxes(x, y));
  return best;
}

// National significant numbers are 8+ digits in most plans; the same last 8 digits under a
// different country code is almost always one number entered with the wrong default region.
const SUBSCRIBER_DIGITS = 8;

export function comparePhones(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  let best = 2;
  for (const x of a) {
    for (const y of b) {
      if (x === y) return 0;
      if (x.length >= SUBSCRIBER_DIGITS && y.length >= SUBSCRIBER_DIGITS && x.slice(-SUBSCRIBER_DIGITS) === y.slice(-SUBSCRIBER_DIGITS)) best = 1;
    }
  }
  return best;
}

/**
 * Writes the comparison level of every field for one pair at `out[offset..offset+FIELD_COUNT)`.
 * Returns true when the names matched crosswise (first and last swapped).
 */
export function comparePair(a: PreparedCandidate, b: PreparedCandidate, out: Int8Array, offset = 0): boolean {
  const swapped = compareNames(a, b, out, offset);
  out[offset + FIELD_INDEX.dateOfBirth] = compareDatesOfBirth(a.dateOfBirth, b.dateOfBirth);
  out[offset + FIELD_INDEX.nationalId] = compareByEdits(a.nationalId, b.nationalId, 2);
  out[offset + FIELD_INDEX.email] = compareEmails(a.mailboxes, b.mailboxes);
  out[offset + FIELD_INDEX.phone] = comparePhones(a.phones, b.phones);
  out[offset + FIELD_INDEX.streetNumber] = compareExact(a.streetNumber, b.streetNumber);
  out[offset + FIELD_INDEX.street] = compareText(a.street, b.street);
  out[offset + FIELD_INDEX.place] = comparePlaces(a, b);
  return swapped;
}
