import type { IdentifierKind } from '@leadline/contracts';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { NewIdentifier } from '../contacts/contact-identifiers';
import type { Contact } from '../contacts/contact.entity';

/**
 * The import's writes, a statement per few thousand rows: arrays through unnest() rather than one parameter
 * per value, which would pass PostgreSQL's 65,535-parameter limit on a large file.
 */
const ROWS_PER_STATEMENT = 5000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) out.push(items.slice(start, start + ROWS_PER_STATEMENT));
  return out;
}

export async function insertContacts(tx: EntityManager, contacts: readonly Contact[]): Promise<void> {
  for (const part of chunks(contacts)) {
    await tx.query(
      `INSERT INTO contacts (id, account_id, role, first_name, last_name, address, postal_code, field_sources, created_at, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],
                            $9::timestamptz[], $10::timestamptz[])`,
      [part.map((c) => c.id), part.map((c) => c.accountId), part.map((c) => c.role), part.map((c) => c.firstName),
        part.map((c) => c.lastName), part.map((c) => c.address), part.map((c) => c.postalCode),
        part.map((c) => JSON.stringify(c.fieldSources)), part.map((c) => c.createdAt), part.map((c) => c.updatedAt)],
    );
  }
}

export async function updateContacts(tx: EntityManager, contacts: readonly Contact[]): Promise<void> {
  for (const part of chunks(contacts)) {
    await tx.query(
      `UPDATE contacts c SET first_name = u.first_name, last_name = u.last_name, address = u.address, postal_code = u.postal_code,
              field_sources = u.field_sources, updated_at = u.updated_at
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])
              AS u(id, first_name, last_name, address, postal_code, field_sources, updated_at)
        WHERE c.id = u.id`,
      [part.map((c) => c.id), part.map((c) => c.firstName), part.map((c) => c.lastName), part.map((c) => c.address),
        part.map((c) => c.postalCode), part.map((c) => JSON.stringify(c.fieldSources)), part.map((c) => c.updatedAt)],
    );
  }
}

/**
 * Gives each contact its identifiers, verified; one the contact holds already becomes verified. Returns those
 * another contact took since the import looked (a conversation resolved meanwhile): the caller gives up then.
 */
export async function upsertIdentifiers(
  tx: EntityManager, accountId: string, identifiers: readonly (NewIdentifier & { contactId: string })[],
): Promise<{ kind: IdentifierKind; value: string }[]> {
  const taken: { kind: IdentifierKind; value: string }[] = [];
  for (const part of chunks(identifiers)) {
    const kept: { kind: IdentifierKind; value: string }[] = await tx.query(
      `INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
       SELECT u.id, $1, u.contact_id, u.kind, u.value, u.verified, u.source
         FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::boolean[], $7::text[]) AS u(id, contact_id, kind, value, verified, source)
       ON CONFLICT (account_id, kind, value) DO UPDATE SET verified = identifiers.verified OR EXCLUDED.verified
         WHERE identifiers.contact_id = EXCLUDED.contact_id
       RETURNING kind, value`,
      [accountId, part.map(() => uuidv7()), part.map((i) => i.contactId), part.map((i) => i.kind), part.map((i) => i.value),
        part.map((i) => i.verified), part.map((i) => i.source)],
    );
    const keptKeys = new Set(kept.map((i) => `${i.kind}:${i.value}`));
    taken.push(...part.filter((i) => !keptKeys.has(`${i.kind}:${i.value}`)).map(({ kind, value }) => ({ kind, value })));
  }
  return taken;
}
