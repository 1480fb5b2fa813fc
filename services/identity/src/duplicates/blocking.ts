import type { FieldName } from './comparison-fields';
import type { PreparedCandidate } from './prepared-candidate';

/**
 * A blocking rule: contacts that share one of its keys are compared; others never are. Several
 * loose rules, unioned, keep recall high (a typo in one field rarely hits every rule) while the
 * number of compared pairs grows roughly linearly with the account instead of quadratically.
 */
export interface BlockingRule {
  name: string;
  /** Fields the rule makes agree; estimation leaves them out when learning from its pairs. */
  fields: FieldName[];
  keys(contact: PreparedCandidate): string[];
}

const when = (...parts: string[]): string[] => (parts.every((p) => p !== '') ? [parts.join('|')] : []);

export const DEFAULT_BLOCKING_RULES: readonly BlockingRule[] = [
  { name: 'national id', fields: ['nationalId'], keys: (c) => when(c.nationalId) },
  { name: 'date of birth', fields: ['dateOfBirth'], keys: (c) => when(c.dateOfBirth) },
  // Gmail-style canonical mailbox, so "j.doe+x@gmail.com" meets "jdoe@gmail.com".
  { name: 'email', fields: ['email'], keys: (c) => c.mailboxes.map((m) => `${m.canonicalLocal}@${m.domain}`) },
  // The last 8 digits, so a number saved under the wrong country code still meets its twin.
  { name: 'phone', fields: ['phone'], keys: (c) => c.phones.map((p) => p.slice(-8)) },
  { name: 'last name sound + postal code', fields: ['lastName', 'place'], keys: (c) => when(c.lastNameSound, c.postalCode) },
  { name: 'first name + locality', fields: ['firstName', 'place'], keys: (c) => when(c.firstName, c.locality) },
  // Sorted, so that first and last names swapped still meet.
  {
    name: 'first + last name',
    fields: ['firstName', 'lastName'],
    keys: (c) => (c.firstName && c.lastName ? [[c.firstName, c.lastName].sort().join('|')] : []),
  },
  { name: 'postal code + street number', fields: ['place', 'streetNumber'], keys: (c) => when(c.postalCode, c.streetNumber) },
  { name: 'street + street number', fields: ['street', 'streetNumber'], keys: (c) => when(c.street, c.streetNumber) },
  { name: 'street + last name sound', fields: ['street', 'lastName'], keys: (c) => when(c.street, c.lastNameSound) },
  // Street by sound, so a typo in the street name ("studley steet") still meets its twin.
  { name: 'street sound + postal code', fields: ['place'], keys: (c) => when(c.streetSound, c.postalCode) },
  { name: 'street sound + locality', fields: ['place'], keys: (c) => when(c.streetSound, c.locality) },
  { name: 'last name sound + street number', fields: ['streetNumber'], keys: (c) => when(c.lastNameSound, c.streetNumber) },
  // Catches people whose postal code, street and id all carry typos but whose name sounds alike.
  { name: 'first name sound + birth year', fields: ['firstName'], keys: (c) => when(c.firstNameSound, c.dateOfBirth.slice(0, 4)) },
];

/**
 * Blocking keys of a set of contacts, to look up the candidates of one contact. Blocks larger
 * than `maxBlockSize` are ignored when looking up: a key shared by that many contacts (a shared
 * office phone, a placeholder birth date) tells nothing and would make the search quadratic.
 */
export class BlockingIndex {
  private readonly blocks: Map<string, number[]>[];

  constructor(
    readonly rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES,
    readonly maxBlockSize = 500,
  ) {
    this.blocks = rules.map(() => new Map<string, number[]>());
  }

  /** Adds a contact under its position in the caller's list. */
  add(contact: PreparedCandidate, position: number): void {
    this.rules.forEach((rule, r) => {
      for (const key of rule.keys(contact)) {
        const block = this.blocks[r].get(key);
        if (block) block.push(position);
        else this.blocks[r].set(key, [position]);
      }
    });
  }

  /** Calls `visit(position)` for every indexed contact sharing a key of `rule` with `contact`. */
  forEachCandidate(ruleIndex: number, contact: PreparedCandidate, visit: (position: number) => void): void {
    for (const key of this.rules[ruleIndex].keys(contact)) {
      const block = this.blocks[ruleIndex].get(key);
      if (!block || block.length > this.maxBlockSize) continue;
      for (const position of block) visit(position);
    }
  }

  /** The distinct positions of the candidates of `contact` under every rule. */
  candidatesOf(contact: PreparedCandidate): Set<number> {
    const found = new Set<number>();
    for (let r = 0; r < this.rules.length; r++) this.forEachCandidate(r, contact, (p) => found.add(p));
    return found;
  }
}

/** Candidate pairs as parallel arrays, plus which pairs each rule produced (for estimation). */
export interface CandidatePairs {
  left: Int32Array;
  right: Int32Array;
  count: number;
  pairsByRule: Map<string, Int32Array>;
}

/** Rules are packed into the low bits of a pair entry; more than this many rules is not sensible. */
const MAX_RULES = 64;

/** Key -> positions (ascending) of the contacts carrying it, for one rule. */
function blocksOf(contacts: readonly PreparedCandidate[], rule: BlockingRule): Map<string, number[]> {
  const blocks = new Map<string, number[]>();
  contacts.forEach((contact, position) => {
    for (const key of rule.keys(contact)) {
      const block = blocks.get(key);
      if (block) block.push(position);
      else blocks.set(key, [position]);
    }
  });
  return blocks;
}

/**
 * The union of candidate pairs over all rules: left x right when linking two lists, or the
 * pairs i < j within `left` when deduplicating one. Each pair appears once.
 *
 * Every (pair, rule) hit is packed into one number, (i * width + j) * 64 + rule, and the lot is
 * sorted once: that de-duplicates pairs across rules far faster than a hash map keyed by pair
 * (100k contacts give pair ids beyond 2^31, which V8 maps hash slowly).
 */
export function blockCandidatePairs(
  left: readonly PreparedCandidate[],
  right: readonly PreparedCandidate[] | undefined,
  rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES,
  maxBlockSize = 500,
): CandidatePairs {
  if (rules.length > MAX_RULES) throw new Error(`at most ${MAX_RULES} blocking rules`);
  const width = (right ?? left).length;
  const hits: number[] = [];
  rules.forEach((rule, r) => {
    if (!right) {
      for (const block of blocksOf(left, rule).values()) {
        if (block.length < 2 || block.length > maxBlockSize) continue;
        for (let x = 0; x < block.length; x++) {
          for (let y = x + 1; y < block.length; y++) {
            const i = block[x];
            const j = block[y];
            if (i !== j) hits.push((i * width + j) * MAX_RULES + r); // i < j: blocks are ascending
          }
        }
      }
      return;
    }
    const blocks = blocksOf(right, rule);
    left.forEach((contact, i) => {
      for (const key of rule.keys(contact)) {
        const block = blocks.get(key);
        if (!block || block.length > maxBlockSize) continue;
        for (const j of block) hits.push((i * width + j) * MAX_RULES + r);
      }
    });
  });

  const sorted = Float64Array.from(hits).sort();
  const lefts: number[] = [];
  const rights: number[] = [];
  const byRule: number[][] = rules.map(() => []);
  let previousPair = -1;
  let previousRule = -1;
  for (const hit of sorted) {
    const pairId = Math.floor(hit / MAX_RULES);
    const r = hit - pairId * MAX_RULES;
    if (pairId !== previousPair) {
      previousPair = pairId;
      previousRule = -1;
      lefts.push(Math.floor(pairId / width));
      rights.push(pairId % width);
    }
    if (r !== previousRule) {
      previousRule = r;
      byRule[r].push(lefts.length - 1);
    }
  }

  return {
    left: Int32Array.from(lefts),
    right: Int32Array.from(rights),
    count: lefts.length,
    pairsByRule: new Map(rules.map((rule, r) => [rule.name, Int32Array.from(byRule[r])])),
  };
}
