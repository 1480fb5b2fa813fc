import type { IdentifierKind, MatchingPolicy } from '@leadline/contracts';
import { claimStrength, identifierKey, type ExistingIdentifier, type IdentityClaim } from './identity-claims';

/** Why a stored identifier that equals a claim was not allowed to link the conversation. */
export type RejectionReason =
  /** strict policy: the claim or the stored identifier is not verified. */
  | 'unverified'
  /** claimed by more contacts than the account's limit (a shared office phone): it no longer links by itself. */
  | 'shared'
  /** the contact is another external user than the one this conversation is signed in as. */
  | 'other_external_user';

/** Another contact the claims pointed at, suggested for review instead of merged. */
export interface SuggestedDuplicate {
  contactId: string;
  /** What pointed at it, and why it did not link (absent: it lost to a stronger match). */
  evidence: ExistingIdentifier[];
  rejection?: RejectionReason;
}

export type IdentityDecision =
  | { kind: 'match'; contactId: string; matchedBy: IdentifierKind; evidence: ExistingIdentifier[]; suggestions: SuggestedDuplicate[] }
  | { kind: 'create'; suggestions: SuggestedDuplicate[] }
  | { kind: 'anonymous' };

export interface DecisionInput {
  claims: IdentityClaim[];
  /** Stored identifiers equal to one of the claims, with the contact holding each. */
  existing: ExistingIdentifier[];
  policy: MatchingPolicy;
  /** A name, email or phone was shared, the channel captures leads and the visitor wrote. */
  capturable: boolean;
  /** How many live contacts claimed each identifier (`kind:value`), holder included. Missing: one. */
  contactsPerIdentifier?: ReadonlyMap<string, number>;
  /** An identifier claimed by more contacts than this stops linking by itself. */
  sharedIdentifierLimit?: number;
  /** The external user ids each candidate contact holds. */
  externalUsersByContact?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Who this conversation is with. Guards, in order:
 * - never across two external users: a contact signed in as another user id than this conversation's is skipped;
 * - a shared identifier (claimed by more contacts than the account's limit) does not link by itself;
 * - `strict` links only where both the claim and the stored identifier are verified; an unverified claim that
 *   matches someone makes a new contact plus a duplicate suggestion;
 * - conflicting matches never merge: the strongest (external user, device, verified email, email, phone) links
 *   and the other contacts are suggested as duplicates.
 */
export function decideIdentity(input: DecisionInput): IdentityDecision {
  const claimed = new Map(input.claims.map((claim) => [identifierKey(claim), claim]));
  const judged = input.existing.map((identifier) => ({ identifier, rejection: rejectionOf(input, claimed, identifier) }));
  const usable = judged.filter((j) => j.rejection === undefined).map((j) => j.identifier);
  // Shared identifiers and other users' contacts are not duplicates: only strict-policy rejections are suggested.
  const suggestable = judged.filter((j) => j.rejection === undefined || j.rejection === 'unverified');

  if (usable.length === 0) {
    if (!input.capturable) return { kind: 'anonymous' };
    return { kind: 'create', suggestions: suggestionsOf(suggestable, undefined) };
  }
  const strongest = [...usable].sort((a, b) => claimStrength(b) - claimStrength(a))[0]!;
  return {
    kind: 'match',
    contactId: strongest.contactId,
    matchedBy: strongest.kind,
    evidence: usable.filter((identifier) => identifier.contactId === strongest.contactId),
    suggestions: suggestionsOf(suggestable, strongest.contactId),
  };
}

function rejectionOf(
  input: DecisionInput, claimed: ReadonlyMap<string, IdentityClaim>, identifier: ExistingIdentifier,
): RejectionReason | undefined {
  const signedInAs = input.claims.filter((c) => c.kind === 'external_user').map((c) => c.value);
  const theirs = input.externalUsersByContact?.get(identifier.contactId) ?? [];
  if (signedInAs.length > 0 && theirs.some((id) => !signedInAs.includes(id))) return 'other_external_user';
  const limit = input.sharedIdentifierLimit ?? Number.POSITIVE_INFINITY;
  const claimedBy = input.contactsPerIdentifier?.get(identifierKey(identifier)) ?? 1;
  if (identifier.kind !== 'external_user' && claimedBy > limit) return 'shared';
  if (input.policy === 'strict' && !(identifier.verified && claimed.get(identifierKey(identifier))?.verified)) return 'unverified';
  return undefined;
}

function suggestionsOf(
  judged: { identifier: ExistingIdentifier; rejection?: RejectionReason }[], linkedContactId: string | undefined,
): SuggestedDuplicate[] {
  const byContact = new Map<string, SuggestedDuplicate>();
  for (const { identifier, rejection } of judged) {
    if (identifier.contactId === linkedContactId) continue;
    const suggestion = byContact.get(identifier.contactId) ?? { contactId: identifier.contactId, evidence: [] };
    suggestion.evidence.push(identifier);
    if (rejection) suggestion.rejection = rejection;
    byContact.set(identifier.contactId, suggestion);
  }
  return [...byContact.values()];
}
