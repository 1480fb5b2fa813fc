import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Contact } from '../contacts/contact.entity';
import type { IdentityClaim } from './identity-claims';

/**
 * Serialises work on the same identifiers, so 50 conversations racing with one email make one contact: the later
 * ones wait here, then see the first one's identifiers. Sorted to avoid lock-order deadlocks. Identify and merge
 * take the same locks.
 */
export async function lockClaims(tx: EntityManager, accountId: string, claims: readonly Pick<IdentityClaim, 'kind' | 'value'>[]): Promise<void> {
  const keys = [...new Set(claims.map((claim) => `${accountId}:${claim.kind}:${claim.value}`))].sort();
  for (const key of keys) await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/**
 * The contact, locked against a concurrent merge or erasure; a contact merged meanwhile resolves to its survivor.
 * Fails (and the event is retried) if it was erased meanwhile: on retry its identifiers are gone.
 */
export async function lockLiveContact(tx: EntityManager, contactId: string): Promise<Contact> {
  let contact = await tx.findOne(Contact, { where: { id: contactId }, lock: { mode: 'pessimistic_write' } });
  for (let hops = 0; contact?.mergedIntoId && hops < 20; hops++) {
    contact = await tx.findOne(Contact, { where: { id: contact.mergedIntoId }, lock: { mode: 'pessimistic_write' } });
  }
  if (!contact || contact.mergedIntoId) throw new Error(`contact ${contactId} no longer exists (erased or merged away); retry resolves again`);
  return contact;
}

/**
 * Adds the claims no other contact holds; one that another contact owns stays with that contact. A verified
 * claim of an identifier the contact already holds unverified makes it verified.
 */
export async function addIdentifiers(tx: EntityManager, contact: Contact, claims: readonly IdentityClaim[]): Promise<void> {
  for (const claim of claims) {
    await tx.query(
      `INSERT INTO identifiers (id, account_id, contact_id, kind, value, verified, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id, kind, value) DO UPDATE SET verified = true, source = EXCLUDED.source
         WHERE identifiers.contact_id = EXCLUDED.contact_id AND EXCLUDED.verified AND NOT identifiers.verified`,
      [uuidv7(), contact.accountId, contact.id, claim.kind, claim.value, claim.verified, claim.source],
    );
  }
}
