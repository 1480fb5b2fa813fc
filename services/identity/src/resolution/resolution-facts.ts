import type { EntityManager } from 'typeorm';
import { identifierKey, type ExistingIdentifier, type IdentityClaim } from './identity-claims';

/** What the resolver decides on, read after the claims' advisory locks are held. */
export interface ResolutionFacts {
  /** The contact this conversation is linked to already (a later idle cycle), if any. */
  linkedContactId: string | undefined;
  /** The stored identifiers equal to the claims, with the contact holding each. */
  existing: ExistingIdentifier[];
  /** `kind:value` -> how many live (not merged) contacts claimed or hold it: a shared office phone is claimed by many. */
  contactsPerIdentifier: Map<string, number>;
  /** The external user ids each contact found in `existing` holds. */
  externalUsersByContact: Map<string, string[]>;
}

/**
 * All of it in one statement, so a conversation costs one round trip here instead of four (the measured cost of
 * a match is mostly round trips: bench/identity). Identifiers are looked up by (kind, value) pairs: one index
 * probe each, however large the account. Claims count every contact whose conversations claimed an identifier
 * (`identifier_claims`, as identifiers themselves are unique per account) plus its holder, merged contacts
 * excluded. $1 account, $2 conversation, $3/$4 the claims' kinds and values.
 */
export const RESOLUTION_FACTS_SQL = `
  WITH claim AS (SELECT * FROM unnest($3::text[], $4::text[]) AS c(kind, value)),
  held AS (
    SELECT i.kind, i.value, i.verified, i.contact_id FROM identifiers i
     WHERE i.account_id = $1 AND (i.kind, i.value) IN (SELECT kind, value FROM claim)),
  claimed AS (
    SELECT t.kind, t.value, count(DISTINCT t.contact_id)::int AS contacts
      FROM (SELECT kind, value, contact_id FROM identifier_claims
             WHERE account_id = $1 AND (kind, value) IN (SELECT kind, value FROM claim)
            UNION ALL SELECT kind, value, contact_id FROM held) t
      JOIN contacts c ON c.id = t.contact_id AND c.merged_into_id IS NULL
     GROUP BY t.kind, t.value),
  users AS (
    SELECT contact_id, value FROM identifiers WHERE kind = 'external_user' AND contact_id IN (SELECT contact_id FROM held))
  SELECT (SELECT contact_id FROM conversation_links WHERE conversation_id = $2 AND account_id = $1) AS linked,
         COALESCE((SELECT json_agg(held) FROM held), '[]') AS held,
         COALESCE((SELECT json_agg(claimed) FROM claimed), '[]') AS claimed,
         COALESCE((SELECT json_agg(users) FROM users), '[]') AS users`;

export const resolutionFactsParams = (
  accountId: string, conversationId: string, claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[],
): unknown[] => [accountId, conversationId, claims.map((c) => c.kind), claims.map((c) => c.value)];

interface FactsRow {
  linked: string | null;
  held: { kind: IdentityClaim['kind']; value: string; verified: boolean; contact_id: string }[];
  claimed: { kind: IdentityClaim['kind']; value: string; contacts: number }[];
  users: { contact_id: string; value: string }[];
}

export async function resolutionFacts(
  tx: EntityManager, accountId: string, conversationId: string, claims: readonly IdentityClaim[],
): Promise<ResolutionFacts> {
  const [row] = (await tx.query(RESOLUTION_FACTS_SQL, resolutionFactsParams(accountId, conversationId, claims))) as FactsRow[];
  const externalUsersByContact = new Map<string, string[]>();
  for (const user of row!.users) externalUsersByContact.set(user.contact_id, [...(externalUsersByContact.get(user.contact_id) ?? []), user.value]);
  return {
    linkedContactId: row!.linked ?? undefined,
    existing: row!.held.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified, contactId: i.contact_id })),
    contactsPerIdentifier: new Map(row!.claimed.map((c) => [identifierKey(c), c.contacts])),
    externalUsersByContact,
  };
}
