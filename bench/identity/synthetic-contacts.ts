import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { IdentityClaim } from '../../services/identity/src/resolution/identity-claims';

/**
 * A synthetic account for the match bench: person i has a contact, an email, a phone (E.164), a web chat device
 * id, the claims the resolver records for them, and one conversation. Generated inside PostgreSQL with
 * generate_series (no rows cross the wire), so a million contacts load in minutes; ids are md5-derived, so the
 * bench can name person i's identifiers without reading them back.
 */
const CHUNK = 100_000;

const uuidSql = (text: string): string => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;
export const SURNAMES = 20_000;
export const FIRST_NAMES = ['John', 'Mary', 'Sarah', 'David', 'Anna', 'James', 'Linda', 'Omar', 'Mei', 'Carlos'];

/**
 * A version-4-shaped UUID from md5(text): the version and variant digits are set, as the event contracts accept
 * only RFC 4122 UUIDs (a raw md5::uuid is not one). `uuidSql` is the same in PostgreSQL.
 */
function md5Uuid(text: string): string {
  const md5 = createHash('md5').update(text).digest('hex');
  const hex = `${md5.slice(0, 12)}4${md5.slice(13, 16)}8${md5.slice(17)}`;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Person i's web chat device id, as the loader stores it. */
export const deviceOfPerson = (i: number): string => md5Uuid(`device${i}`);

export function claimsOfPerson(i: number): IdentityClaim[] {
  return [
    { kind: 'email', value: `person${i}@example.com`, verified: false, source: 'extraction' },
    { kind: 'phone', value: `+1${2_000_000_000 + i}`, verified: false, source: 'extraction' },
    { kind: 'device', value: deviceOfPerson(i), verified: false, source: 'webchat' },
  ];
}

/** A visitor nobody knows yet. */
export function missingClaims(q: number): IdentityClaim[] {
  return [
    { kind: 'email', value: `stranger${q}-${process.hrtime.bigint()}@example.org`, verified: false, source: 'extraction' },
    { kind: 'device', value: crypto.randomUUID(), verified: false, source: 'webchat' },
  ];
}

/** Adds people [from, to) to the account, in chunks, then refreshes the planner's statistics. */
export async function bulkLoadContacts(dataSource: DataSource, accountId: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(to, start + CHUNK);
    await dataSource.transaction(async (tx) => {
      const range = [accountId, start, end - 1];
      await tx.query(
        `INSERT INTO contacts (id, account_id, role, first_name, last_name, original_conversation_id)
         SELECT ${uuidSql("'contact' || i")}, $1, 'lead', ($4::text[])[1 + i % ${FIRST_NAMES.length}], 'Surname' || (i % ${SURNAMES}),
                ${uuidSql("'conversation' || i")}
           FROM generate_series($2::int, $3::int) AS i`, [...range, FIRST_NAMES]);
      const identifiers = `
        SELECT i, 'email' AS kind, 'person' || i || '@example.com' AS value FROM generate_series($2::int, $3::int) AS i
        UNION ALL SELECT i, 'phone', '+1' || (2000000000 + i) FROM generate_series($2::int, $3::int) AS i
        UNION ALL SELECT i, 'device', ${uuidSql("'device' || i")}::text FROM generate_series($2::int, $3::int) AS i`;
      await tx.query(
        `INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
         SELECT ${uuidSql('kind || value')}, $1, ${uuidSql("'contact' || i")}, kind, value, false, 'bench' FROM (${identifiers}) AS g`, range);
      await tx.query(
        `INSERT INTO identifier_claims (account_id, kind, value, contact_id)
         SELECT $1, kind, value, ${uuidSql("'contact' || i")} FROM (${identifiers}) AS g`, range);
      await tx.query(
        `INSERT INTO conversation_links (conversation_id, account_id, contact_id, duplicate)
         SELECT ${uuidSql("'conversation' || i")}, $1, ${uuidSql("'contact' || i")}, false FROM generate_series($2::int, $3::int) AS i`, range);
    });
  }
  for (const table of ['contacts', 'identifiers', 'identifier_claims', 'conversation_links']) await dataSource.query(`ANALYZE ${table}`);
}
