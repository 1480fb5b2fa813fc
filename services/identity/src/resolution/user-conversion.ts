import { ContactConvertedEvent, type Channel } from '@leadline/contracts';
import { Outbox } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Contact } from '../contacts/contact.entity';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { Identifier } from '../contacts/identifier.entity';
import { convertsToUser, type IdentityClaim } from './identity-claims';

export type ConversionOutcome =
  | 'converted'
  /** Already a user with this external user id. */
  | 'already_user'
  /** The contact is another external user: never two external users on one contact. */
  | 'other_external_user'
  /** Another contact holds this external user id. */
  | 'held_by_another';

/** Lead to user: only through a verified external user id (identify, or a widget identity token), never by phone. */
@Injectable()
export class UserConversion {
  constructor(private readonly outbox: Outbox) {}

  /** Converts when this conversation carries a verified external user id on a channel that may convert. */
  async convertIfSignedIn(tx: EntityManager, contact: Contact, channel: Channel, claims: readonly IdentityClaim[]): Promise<void> {
    const claim = convertsToUser(channel, claims);
    if (claim) await this.convert(tx, contact, claim.value, claim.source);
  }

  /**
   * Gives the contact the verified external user id and makes it a user, publishing `contact.converted` when its
   * role changes. The caller holds the contact's row lock and the identifier's advisory lock.
   */
  async convert(tx: EntityManager, contact: Contact, externalUserId: string, source: string): Promise<ConversionOutcome> {
    const holder = await tx.findOneBy(Identifier, { accountId: contact.accountId, kind: 'external_user', value: externalUserId });
    if (holder && holder.contactId !== contact.id) return 'held_by_another';
    const own = await tx.findBy(Identifier, { contactId: contact.id, kind: 'external_user' });
    if (own.some((identifier) => identifier.value !== externalUserId)) return 'other_external_user';
    if (!holder) {
      await tx.insert(Identifier, {
        id: uuidv7(), accountId: contact.accountId, contactId: contact.id, kind: 'external_user', value: externalUserId,
        verified: true, source, createdAt: new Date(),
      });
    } else if (!holder.verified) {
      await tx.update(Identifier, { id: holder.id }, { verified: true, source });
    }
    if (contact.role === 'user') return 'already_user';
    contact.role = 'user';
    contact.updatedAt = new Date();
    await tx.update(Contact, { id: contact.id }, { role: 'user', updatedAt: contact.updatedAt });
    const identifiers = await tx.findBy(Identifier, { contactId: contact.id });
    await this.outbox.add(tx, ContactConvertedEvent, {
      accountId: contact.accountId, contactId: contact.id, externalUserId, contact: contactSnapshot(contact, identifiers),
      convertedAt: contact.updatedAt.toISOString(),
    }, contact.id);
    return 'converted';
  }
}
