import type { IdentifierKind, MatchingPolicy } from '@leadline/contracts';
import { claimStrength, type ExistingIdentifier, type IdentityClaim } from './identity-claims';

export type IdentityDecision =
  | { kind: 'match'; contactId: string; matchedBy: IdentifierKind; evidence: ExistingIdentifier[]; suggestedContactIds: string[] }
  | { kind: 'create'; suggestedContactIds: string[] }
  | { kind: 'anonymous' };

export interface DecisionInput {
  claims: IdentityClaim[];
  existing: ExistingIdentifier[];
  policy: MatchingPolicy;
  /** A name, email or phone was shared, the channel captures leads and the visitor wrote. */
  capturable: boolean;
}

/**
 * Who this conversation is with. `standard` links on any exact identifier; `strict` only where both the
 * stored identifier and the claim are verified. Conflicting matches never merge: the strongest wins and the
 * others are suggested as duplicates.
 */
export function decideIdentity(input: DecisionInput): IdentityDecision {
  const claimed = new Map(input.claims.map((claim) => [`${claim.kind}:${claim.value}`, claim]));
  const usable = input.existing.filter((identifier) => {
    if (input.policy === 'standard') return true;
    return identifier.verified && Boolean(claimed.get(`${identifier.kind}:${identifier.value}`)?.verified);
  });
  const rejected = input.existing.filter((identifier) => !usable.includes(identifier));
  if (usable.length === 0) {
    const suggestions = unique(rejected.map((identifier) => identifier.contactId));
    return input.capturable ? { kind: 'create', suggestedContactIds: suggestions } : { kind: 'anonymous' };
  }
  const strongest = [...usable].sort((a, b) => claimStrength(b) - claimStrength(a))[0]!;
  const evidence = usable.filter((identifier) => identifier.contactId === strongest.contactId);
  const others = unique(input.existing.map((i) => i.contactId).filter((id) => id !== strongest.contactId));
  return { kind: 'match', contactId: strongest.contactId, matchedBy: strongest.kind, evidence, suggestedContactIds: others };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
