import { BlockingIndex, DEFAULT_BLOCKING_RULES, type BlockingRule } from './blocking';
import type { DuplicateCandidate } from './duplicate-candidate';
import { scoreCandidatePair, type DuplicateSuggestion } from './find-duplicate-pairs';
import { defaultMatchModel, type MatchModel } from './match-model';
import { prepareCandidate, type PreparedCandidate } from './prepared-candidate';

/**
 * The incremental form for the identity service: keeps an account's contacts blocked in memory
 * and, for one new or edited contact, scores only the contacts sharing a blocking key with it.
 * The cost of a lookup depends on block sizes, not on the size of the account.
 */
export class DuplicateFinder {
  private readonly contacts: PreparedCandidate[] = [];
  private readonly index: BlockingIndex;

  constructor(
    private readonly model: MatchModel = defaultMatchModel(),
    rules: readonly BlockingRule[] = DEFAULT_BLOCKING_RULES,
    maxBlockSize = 500,
  ) {
    this.index = new BlockingIndex(rules, maxBlockSize);
  }

  get size(): number {
    return this.contacts.length;
  }

  add(contact: DuplicateCandidate): void {
    const prepared = prepareCandidate(contact);
    this.index.add(prepared, this.contacts.length);
    this.contacts.push(prepared);
  }

  /** Suggestions for `contact` among the added contacts, most probable first; never itself. */
  suggestFor(contact: DuplicateCandidate, minProbability = 0.5): DuplicateSuggestion[] {
    const prepared = prepareCandidate(contact);
    const suggestions: DuplicateSuggestion[] = [];
    for (const position of this.index.candidatesOf(prepared)) {
      const other = this.contacts[position];
      if (other.id === prepared.id) continue;
      const suggestion = scoreCandidatePair(prepared, other, this.model);
      if (suggestion.probability >= minProbability) suggestions.push(suggestion);
    }
    return suggestions.sort((x, y) => y.probability - x.probability);
  }
}
