import { ContactUpdatedEvent, type ContactSnapshotDto, type ContactUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { normalizeEmail, normalizePhone, searchTextOf } from '../leads/contact-text';
import { ContactEntry, type ContactFate } from './contact-entry.entity';

/** Where a contact named by an event really is now: itself, its merge survivor, or nowhere (erased). */
export type ContactWhereabouts = { kind: 'here'; contactId: string } | { kind: 'erased' };

const REMEMBER_CONTACT = `
  WITH stored AS (
    INSERT INTO contact_directory (contact_id, account_id, snapshot, emails, phones, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (contact_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, emails = EXCLUDED.emails, phones = EXCLUDED.phones,
      updated_at = EXCLUDED.updated_at
    WHERE contact_directory.updated_at <= EXCLUDED.updated_at AND contact_directory.account_id = EXCLUDED.account_id
    RETURNING contact_id),
  deliveries AS (
    UPDATE broadcast_deliveries SET contact_id = $1
    WHERE account_id = $2 AND contact_id IS NULL AND recipient = ANY($7::text[]) AND EXISTS (SELECT 1 FROM stored))
  UPDATE leads SET contact = $3::jsonb, display_name = $8, search_text = $9
  WHERE account_id = $2 AND contact_id = $1 AND EXISTS (SELECT 1 FROM stored)`;

/**
 * The contacts leads has heard of (created, matched, summary, updated events), kept so an integration can name
 * a contact by email or phone without calling identity, and so leads show the contact's latest details.
 */
@Injectable()
export class ContactDirectory {
  @OnEvent(ContactUpdatedEvent, { purpose: 'contact-updated' })
  async onContactUpdated(event: ReceivedEvent<ContactUpdated>, tx: EntityManager): Promise<void> {
    const { accountId, contactId, contact, updatedAt } = event.data;
    const where = await this.whereabouts(tx, accountId, contactId);
    if (where.kind === 'erased' || where.contactId !== contactId) return;
    await this.remember(tx, accountId, contact, new Date(updatedAt));
  }

  /**
   * Stores the snapshot unless a newer one is known and then, in the same statement (one round trip on every
   * contact event), refreshes the contact's leads with it and joins to it the broadcast deliveries that arrived
   * under its email or phone before it was known.
   */
  async remember(tx: EntityManager, accountId: string, contact: ContactSnapshotDto, at: Date): Promise<void> {
    const emails = contact.emails.map(normalizeEmail);
    const phones = contact.phones.map(normalizePhone);
    await queryPrepared(tx, REMEMBER_CONTACT,
      [contact.contactId, accountId, JSON.stringify(contact), emails, phones, at, [...emails, ...phones], contact.displayName,
        searchTextOf(contact)]);
  }

  async findByEmail(tx: EntityManager, accountId: string, email: string): Promise<ContactEntry | null> {
    return this.findBy(tx, accountId, 'emails', normalizeEmail(email));
  }

  async findByPhone(tx: EntityManager, accountId: string, phone: string): Promise<ContactEntry | null> {
    return this.findBy(tx, accountId, 'phones', normalizePhone(phone));
  }

  /** Follows merges to the survivor; an erased contact is gone for good (ids are never reused). */
  async whereabouts(tx: EntityManager, accountId: string, contactId: string): Promise<ContactWhereabouts> {
    let current = contactId;
    // A chain of merges (A into B, B into C) is short; the bound stops a cycle a bad event could make.
    for (let hops = 0; hops < 20; hops += 1) {
      const [fate] = await queryPrepared<{ fate: ContactFate['fate']; survivor_contact_id: string | null }>(tx,
        'SELECT fate, survivor_contact_id FROM contact_fates WHERE contact_id = $1 AND account_id = $2', [current, accountId]);
      if (!fate) return { kind: 'here', contactId: current };
      if (fate.fate === 'erased' || !fate.survivor_contact_id) return { kind: 'erased' };
      current = fate.survivor_contact_id;
    }
    return { kind: 'here', contactId: current };
  }

  private async findBy(tx: EntityManager, accountId: string, column: 'emails' | 'phones', value: string): Promise<ContactEntry | null> {
    // Several contacts may share a phone (an office line); the most recently updated one is the likeliest.
    return tx.createQueryBuilder(ContactEntry, 'c')
      .where('c.account_id = :accountId', { accountId })
      .andWhere(`c.${column} @> ARRAY[:value]::text[]`, { value })
      .orderBy('c.updated_at', 'DESC')
      .getOne();
  }
}
