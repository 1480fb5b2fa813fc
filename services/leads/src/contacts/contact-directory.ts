import { ContactUpdatedEvent, type ContactSnapshotDto, type ContactUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { normalizeEmail, normalizePhone, searchTextOf } from '../leads/contact-text';
import { ContactEntry, type ContactFate } from './contact-entry.entity';

/** Where a contact named by an event really is now: itself, its merge survivor, or nowhere (erased). */
export type ContactWhereabouts = { kind: 'here'; contactId: string } | { kind: 'erased' };

/** A contact's fate ($1 of account $2): none while it is itself. */
const FATE_OF = 'SELECT fate, survivor_contact_id FROM contact_fates WHERE contact_id = $1 AND account_id = $2';

/**
 * The contact's fate, if any ($1 of account $2), and, unless it has one (merged away, erased), its snapshot stored
 * unless a newer one is known and then its leads refreshed with it and the broadcast deliveries that arrived under
 * its email or phone ($7) before it was known joined to it. Takes advisory lock $10 (if not null) too: the lock of
 * whatever the caller does next with the contact. One round trip on every contact event.
 */
const REMEMBER_CONTACT = `
  WITH fate AS (${FATE_OF}),
  stored AS (
    INSERT INTO contact_directory (contact_id, account_id, snapshot, emails, phones, updated_at)
    SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM fate)
    ON CONFLICT (contact_id) DO UPDATE SET snapshot = EXCLUDED.snapshot, emails = EXCLUDED.emails, phones = EXCLUDED.phones,
      updated_at = EXCLUDED.updated_at
    WHERE contact_directory.updated_at <= EXCLUDED.updated_at AND contact_directory.account_id = EXCLUDED.account_id
    RETURNING contact_id),
  deliveries AS (
    UPDATE broadcast_deliveries SET contact_id = $1
    WHERE account_id = $2 AND contact_id IS NULL AND recipient = ANY($7::text[]) AND EXISTS (SELECT 1 FROM stored)),
  refreshed AS (
    UPDATE leads SET contact = $3::jsonb, display_name = $8, search_text = $9
    WHERE account_id = $2 AND contact_id = $1 AND EXISTS (SELECT 1 FROM stored))
  SELECT fate.fate, fate.survivor_contact_id, pg_advisory_xact_lock(hashtext($10)) IS NULL AS unlocked
  FROM (SELECT 1) AS one LEFT JOIN fate ON true`;

/** A contact's fate (REMEMBER_CONTACT's row has nulls when it has none). */
type FateRow = { fate: ContactFate['fate'] | null; survivor_contact_id: string | null };

/**
 * The contacts leads has heard of (created, matched, summary, updated events), kept so an integration can name
 * a contact by email or phone without calling identity, and so leads show the contact's latest details.
 */
@Injectable()
export class ContactDirectory {
  @OnEvent(ContactUpdatedEvent, { purpose: 'contact-updated' })
  async onContactUpdated(event: ReceivedEvent<ContactUpdated>, tx: EntityManager): Promise<void> {
    const { accountId, contactId, contact, updatedAt } = event.data;
    await this.rememberWhereHere(tx, accountId, { ...contact, contactId }, new Date(updatedAt));
  }

  /**
   * Where the contact is now (see `whereabouts`) and, if it is still itself (not merged away, not erased), its
   * snapshot remembered: stored unless a newer one is known, its leads refreshed with it, earlier broadcast deliveries
   * to its email or phone joined to it. `lock`: an advisory lock (hashtext of the key) taken in the same round trip.
   */
  async rememberWhereHere(tx: EntityManager, accountId: string, contact: ContactSnapshotDto, at: Date, lock: string | null = null):
    Promise<ContactWhereabouts> {
    const emails = contact.emails.map(normalizeEmail);
    const phones = contact.phones.map(normalizePhone);
    const [row] = await queryPrepared<FateRow>(tx, REMEMBER_CONTACT,
      [contact.contactId, accountId, JSON.stringify(contact), emails, phones, at, [...emails, ...phones], contact.displayName,
        searchTextOf(contact), lock]);
    return this.followFates(tx, accountId, contact.contactId, row?.fate ? row : undefined);
  }

  async findByEmail(tx: EntityManager, accountId: string, email: string): Promise<ContactEntry | null> {
    return this.findBy(tx, accountId, 'emails', normalizeEmail(email));
  }

  async findByPhone(tx: EntityManager, accountId: string, phone: string): Promise<ContactEntry | null> {
    return this.findBy(tx, accountId, 'phones', normalizePhone(phone));
  }

  /** Follows merges to the survivor; an erased contact is gone for good (ids are never reused). */
  async whereabouts(tx: EntityManager, accountId: string, contactId: string): Promise<ContactWhereabouts> {
    return this.followFates(tx, accountId, contactId, await this.fateOf(tx, accountId, contactId));
  }

  /** From a contact and its fate (none: it is itself), along its merges. */
  private async followFates(tx: EntityManager, accountId: string, contactId: string, fate: FateRow | undefined):
    Promise<ContactWhereabouts> {
    let current = contactId;
    // A chain of merges (A into B, B into C) is short; the bound stops a cycle a bad event could make.
    for (let hops = 0; hops < 20 && fate; hops += 1) {
      if (fate.fate === 'erased' || !fate.survivor_contact_id) return { kind: 'erased' };
      current = fate.survivor_contact_id;
      fate = await this.fateOf(tx, accountId, current);
    }
    return { kind: 'here', contactId: current };
  }

  private async fateOf(tx: EntityManager, accountId: string, contactId: string): Promise<FateRow | undefined> {
    const [fate] = await queryPrepared<FateRow>(tx, FATE_OF, [contactId, accountId]);
    return fate;
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
