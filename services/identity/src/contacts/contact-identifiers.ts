import type { IdentifierKind } from '@leadline/contracts';
import { queryPrepared } from '@leadline/persistence';
import { ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';

export interface NewIdentifier {
  kind: IdentifierKind;
  /** Already normalised (identifier-values.ts). */
  value: string;
  verified: boolean;
  /** Where it came from: `member`, `api`, `import` ... */
  source: string;
}

/**
 * The identifiers a contact's snapshot shows, in the order they were given. Prepared: every resolved conversation
 * reads them once for the event it publishes.
 */
export function identifiersOf(tx: EntityManager, contactId: string): Promise<{ kind: IdentifierKind; value: string }[]> {
  return queryPrepared(tx, 'SELECT kind, value FROM identifiers WHERE contact_id = $1 ORDER BY created_at, id', [contactId]);
}

export interface HeldElsewhere {
  kind: IdentifierKind;
  value: string;
  contactId: string;
}

/**
 * Gives a contact these identifiers. The UNIQUE (account_id, kind, value) constraint decides races: one the
 * contact already holds is kept (and becomes verified if this claim is), one another contact holds is returned
 * as a conflict and left with that contact. A concurrent insert of the same value waits for the other
 * transaction, so two contacts can never both hold it.
 */
export async function insertIdentifiers(
  tx: EntityManager, accountId: string, contactId: string, identifiers: readonly NewIdentifier[],
): Promise<HeldElsewhere[]> {
  const unique = [...new Map(identifiers.map((i) => [`${i.kind}:${i.value}`, i])).values()];
  if (unique.length === 0) return [];
  const kept: { kind: IdentifierKind; value: string }[] = await tx.query(
    `INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::boolean[], $7::text[])
     ON CONFLICT (account_id, kind, value) DO UPDATE SET verified = identifiers.verified OR EXCLUDED.verified
       WHERE identifiers.contact_id = EXCLUDED.contact_id
     RETURNING kind, value`,
    [unique.map(() => uuidv7()), unique.map(() => accountId), unique.map(() => contactId), unique.map((i) => i.kind),
      unique.map((i) => i.value), unique.map((i) => i.verified), unique.map((i) => i.source)],
  );
  const keptKeys = new Set(kept.map((i) => `${i.kind}:${i.value}`));
  const refused = unique.filter((i) => !keptKeys.has(`${i.kind}:${i.value}`));
  return refused.length === 0 ? [] : holdersOf(tx, accountId, refused);
}

/** Which contacts hold these identifiers now. */
export async function holdersOf(
  tx: EntityManager, accountId: string, identifiers: readonly { kind: IdentifierKind; value: string }[],
): Promise<HeldElsewhere[]> {
  if (identifiers.length === 0) return [];
  const rows: { kind: IdentifierKind; value: string; contact_id: string }[] = await tx.query(
    `SELECT kind, value, contact_id FROM identifiers
      WHERE account_id = $1 AND (kind, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [accountId, identifiers.map((i) => i.kind), identifiers.map((i) => i.value)],
  );
  return rows.map((row) => ({ kind: row.kind, value: row.value, contactId: row.contact_id }));
}

/** 409 naming the contact that holds the identifier, so the caller can open it or merge the two. */
export function heldElsewhereConflict(held: HeldElsewhere): ConflictException {
  return new ConflictException({
    statusCode: 409, error: 'Conflict',
    message: `${held.kind} ${held.value} already belongs to contact ${held.contactId}: remove it there first, or merge the two contacts`,
    identifier: { kind: held.kind, value: held.value }, contactId: held.contactId,
  });
}
