import type { ContactSnapshotDto } from '@leadline/contracts';
import type { Contact } from './contact.entity';
import type { Identifier } from './identifier.entity';

/** Name, else email, else phone: what "New Lead: …" shows. */
export function displayName(contact: Pick<Contact, 'firstName' | 'lastName'>, emails: string[], phones: string[]): string {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(' ').trim();
  return name || emails[0] || phones[0] || 'Unknown visitor';
}

export function contactSnapshot(contact: Contact, identifiers: readonly Pick<Identifier, 'kind' | 'value'>[]): ContactSnapshotDto {
  const emails = identifiers.filter((i) => i.kind === 'email').map((i) => i.value);
  const phones = identifiers.filter((i) => i.kind === 'phone').map((i) => i.value);
  return {
    contactId: contact.id,
    role: contact.role,
    displayName: displayName(contact, emails, phones),
    firstName: contact.firstName,
    lastName: contact.lastName,
    emails,
    phones,
    address: contact.address,
    postalCode: contact.postalCode,
  };
}
