import type { EntityManager } from 'typeorm';
import { identifierKey, type ExistingIdentifier, type IdentityClaim } from './identity-claims';

/**
 * Which contacts claimed an identifier. An identifier is held by one contact (UNIQUE per account), but a shared
 * office phone is claimed by many people's conversations; counting the live (not merged) contacts that claimed
 * it, holder included, is how a shared identifier is recognised.
 */
export async function recordClaims(tx: EntityManager, accountId: string, contactId: string, claims: readonly IdentityClaim[]): Promise<void> {
  if (claims.length === 0) return;
  await tx.query(
    `INSERT INTO identifier_claims (account_id, kind, value, contact_id)
     SELECT $1, kind, value, $2 FROM unnest($3::text[], $4::text[]) AS c(kind, value) ON CONFLICT DO NOTHING`,
    [accountId, contactId, claims.map((c) => c.kind), claims.map((c) => c.value)],
  );
}

/** The look-up's SQL and parameters, shared with bench/identity (its EXPLAIN shows what this query costs). */
export const FIND_IDENTIFIERS_SQL = `SELECT kind, value, verified, contact_id FROM identifiers
  WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`;

export const findIdentifiersParams = (accountId: string, claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[]): unknown[] =>
  [accountId, claims.map((c) => c.kind), claims.map((c) => c.value)];

/**
 * The stored identifiers equal to the claims, with their contacts. Looked up by (kind, value) pairs so each is one
 * probe of the UNIQUE (account_id, kind, value) index: a condition on the value alone would read every identifier
 * of the account (measured: a sequential scan, 114 ms at 300k identifiers, against 0.1 ms this way).
 */
export async function findIdentifiers(tx: EntityManager, accountId: string, claims: readonly IdentityClaim[]): Promise<ExistingIdentifier[]> {
  if (claims.length === 0) return [];
  const rows: { kind: IdentityClaim['kind']; value: string; verified: boolean; contact_id: string }[] = await tx.query(
    FIND_IDENTIFIERS_SQL, findIdentifiersParams(accountId, claims),
  );
  return rows.map((row) => ({ kind: row.kind, value: row.value, verified: row.verified, contactId: row.contact_id }));
}

/** `kind:value` -> how many live contacts claimed or hold it. */
export async function contactsPerIdentifier(
  tx: EntityManager, accountId: string, claims: readonly IdentityClaim[],
): Promise<Map<string, number>> {
  if (claims.length === 0) return new Map();
  const rows: { kind: IdentityClaim['kind']; value: string; contacts: number }[] = await tx.query(
    `SELECT t.kind, t.value, count(DISTINCT t.contact_id)::int AS contacts
       FROM (SELECT kind, value, contact_id FROM identifier_claims
              WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))
             UNION ALL
             SELECT kind, value, contact_id FROM identifiers
              WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))) t
       JOIN contacts c ON c.id = t.contact_id AND c.merged_into_id IS NULL
      GROUP BY t.kind, t.value`,
    [accountId, claims.map((c) => c.kind), claims.map((c) => c.value)],
  );
  return new Map(rows.map((row) => [identifierKey(row), row.contacts]));
}

/** The external user ids each of these contacts holds. */
export async function externalUsersOf(tx: EntityManager, contactIds: readonly string[]): Promise<Map<string, string[]>> {
  if (contactIds.length === 0) return new Map();
  const rows: { contact_id: string; value: string }[] = await tx.query(
    `SELECT contact_id, value FROM identifiers WHERE kind = 'external_user' AND contact_id = ANY($1::uuid[])`, [contactIds],
  );
  const byContact = new Map<string, string[]>();
  for (const row of rows) byContact.set(row.contact_id, [...(byContact.get(row.contact_id) ?? []), row.value]);
  return byContact;
}
