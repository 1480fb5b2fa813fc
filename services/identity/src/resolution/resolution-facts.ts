import type { ContactField, MatchingPolicy } from '@leadline/contracts';
import { queryPrepared, withGenericPlan } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import { DEFAULT_ACCOUNT_SETTINGS } from '../account-settings/account-settings.entity';
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
  /** How the account matches and what a match may fill (the product's defaults until its settings arrive). */
  settings: { matchingPolicy: MatchingPolicy; fillFields: ContactField[]; sharedIdentifierLimit: number };
}

/**
 * All of it in one statement, the account's matching settings included, so a conversation costs one round trip
 * here instead of five (the measured cost of
 * a match is mostly round trips: bench/identity). Every look-up is a LATERAL index probe kept apart by OFFSET 0: a
 * young account's tables have statistics saying "one row", and the planner then scanned every contact of the
 * account for each claim (20 ms a conversation in bench/e2e). Identifiers are looked up by (kind, value) pairs: one index
 * probe each, however large the account. Claims count every contact whose conversations claimed an identifier
 * (`identifier_claims`, as identifiers themselves are unique per account) plus its holder, merged contacts
 * excluded. $1 account, $2 conversation, $3/$4 the claims' kinds and values.
 */
export const RESOLUTION_FACTS_SQL = withGenericPlan(`
  WITH claim AS (SELECT * FROM unnest($3::text[], $4::text[]) AS c(kind, value)),
  held AS (
    SELECT i.kind, i.value, i.verified, i.contact_id FROM claim cl
     CROSS JOIN LATERAL (SELECT kind, value, verified, contact_id FROM identifiers
       WHERE account_id = $1 AND kind = cl.kind AND value = cl.value OFFSET 0) i),
  claimed AS (
    SELECT t.kind, t.value, count(DISTINCT t.contact_id)::int AS contacts
      FROM (SELECT cl.kind, cl.value, ic.contact_id FROM claim cl
             CROSS JOIN LATERAL (SELECT contact_id FROM identifier_claims
               WHERE account_id = $1 AND kind = cl.kind AND value = cl.value OFFSET 0) ic
            UNION ALL SELECT kind, value, contact_id FROM held) t
      CROSS JOIN LATERAL (SELECT 1 FROM contacts c WHERE c.id = t.contact_id AND c.merged_into_id IS NULL OFFSET 0) live
     GROUP BY t.kind, t.value),
  users AS (
    SELECT h.contact_id, u.value FROM (SELECT DISTINCT contact_id FROM held) h
     CROSS JOIN LATERAL (SELECT value FROM identifiers WHERE contact_id = h.contact_id AND kind = 'external_user' OFFSET 0) u)
  SELECT (SELECT contact_id FROM conversation_links WHERE conversation_id = $2 AND account_id = $1) AS linked,
         COALESCE((SELECT json_agg(held) FROM held), '[]') AS held,
         COALESCE((SELECT json_agg(claimed) FROM claimed), '[]') AS claimed,
         COALESCE((SELECT json_agg(users) FROM users), '[]') AS users,
         (SELECT json_build_object('matchingPolicy', matching_policy, 'fillFields', fill_fields,
            'sharedIdentifierLimit', shared_identifier_limit) FROM account_settings WHERE account_id = $1) AS settings`);

export const resolutionFactsParams = (
  accountId: string, conversationId: string, claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[],
): unknown[] => [accountId, conversationId, claims.map((c) => c.kind), claims.map((c) => c.value)];

interface FactsRow {
  linked: string | null;
  held: { kind: IdentityClaim['kind']; value: string; verified: boolean; contact_id: string }[];
  claimed: { kind: IdentityClaim['kind']; value: string; contacts: number }[];
  users: { contact_id: string; value: string }[];
  settings: ResolutionFacts['settings'] | null;
}

export async function resolutionFacts(
  tx: EntityManager, accountId: string, conversationId: string, claims: readonly IdentityClaim[],
): Promise<ResolutionFacts> {
  // Prepared, so parsed once per connection. PostgreSQL still plans it on every call (0.57 ms, against 0.1 ms to run,
  // in bench/e2e): with the claim arrays' real sizes its custom plans are estimated cheaper than a generic one.
  const [row] = await queryPrepared<FactsRow>(tx, RESOLUTION_FACTS_SQL, resolutionFactsParams(accountId, conversationId, claims));
  const externalUsersByContact = new Map<string, string[]>();
  for (const user of row!.users) externalUsersByContact.set(user.contact_id, [...(externalUsersByContact.get(user.contact_id) ?? []), user.value]);
  return {
    linkedContactId: row!.linked ?? undefined,
    existing: row!.held.map((i) => ({ kind: i.kind, value: i.value, verified: i.verified, contactId: i.contact_id })),
    contactsPerIdentifier: new Map(row!.claimed.map((c) => [identifierKey(c), c.contacts])),
    externalUsersByContact,
    settings: row!.settings ?? {
      matchingPolicy: DEFAULT_ACCOUNT_SETTINGS.matchingPolicy, fillFields: DEFAULT_ACCOUNT_SETTINGS.fillFields,
      sharedIdentifierLimit: DEFAULT_ACCOUNT_SETTINGS.sharedIdentifierLimit,
    },
  };
}
