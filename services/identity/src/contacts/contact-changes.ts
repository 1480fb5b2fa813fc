import { ContactUpdatedEvent } from '@leadline/contracts';
import type { Outbox } from '@leadline/messaging';
import type { EntityManager } from 'typeorm';
import { Contact } from './contact.entity';
import { contactSnapshot } from './contact-snapshot';
import { Identifier } from './identifier.entity';

/**
 * Records that a contact changed and queues `identity.v1.contact.updated` in the same transaction. Field
 * names are the snapshot's (`firstName`, `emails`, `phones` ...) or `identifiers`, `attributes.<key>`,
 * `company`. Nothing changed, nothing published.
 */
export async function contactChanged(tx: EntityManager, outbox: Outbox, contact: Contact, changedFields: string[]): Promise<void> {
  if (changedFields.length === 0) return;
  const now = new Date();
  await tx.update(Contact, { id: contact.id }, { updatedAt: now });
  contact.updatedAt = now;
  const identifiers = await tx.find(Identifier, { where: { contactId: contact.id }, order: { createdAt: 'ASC' } });
  await outbox.add(tx, ContactUpdatedEvent, {
    accountId: contact.accountId, contactId: contact.id, contact: contactSnapshot(contact, identifiers),
    changedFields: [...new Set(changedFields)], updatedAt: now.toISOString(),
  }, contact.id);
}

/** The snapshot field a change of this identifier kind shows up in. */
export function identifierField(kind: Identifier['kind']): string {
  return kind === 'email' ? 'emails' : kind === 'phone' ? 'phones' : 'identifiers';
}

/** A contact of the account, locked for this transaction so concurrent edits and merges apply one after another. */
export async function lockContact(tx: EntityManager, accountId: string, contactId: string): Promise<Contact | null> {
  return tx.findOne(Contact, { where: { id: contactId, accountId }, lock: { mode: 'pessimistic_write' } });
}
