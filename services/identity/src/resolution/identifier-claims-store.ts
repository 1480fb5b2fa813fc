import type { EntityManager } from 'typeorm';

/**
 * Which contacts claimed an identifier. An identifier is held by one contact (UNIQUE per account), but a shared
 * office phone is claimed by many people's conversations; counting the live (not merged) contacts that claimed
 * it, holder included, is how a shared identifier is recognised.
 *
 * Records that a contact claimed these identifiers, as SQL for the statement that gives it its identifiers
 * (addIdentifiers): expressions for account, contact, kinds and values.
 */
export function recordClaimsSql(account: string, contact: string, kinds: string, values: string): string {
  return `INSERT INTO identifier_claims (account_id, kind, value, contact_id)
    SELECT ${account}, kind, value, ${contact} FROM unnest(${kinds}::text[], ${values}::text[]) AS c(kind, value) ON CONFLICT DO NOTHING`;
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
