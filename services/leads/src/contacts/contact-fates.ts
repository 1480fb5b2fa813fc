import {
  ContactErasedEvent, ContactsMergedEvent, LeadDeletedEvent, type ContactErased, type ContactsMerged,
} from '@leadline/contracts';
import { OnEvent, Outbox, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LeadChanges } from '../lifecycle/lead-changes';
import { searchTextOf } from '../leads/contact-text';
import { Lead } from '../leads/lead.entity';
import { addHistory } from '../timeline/history';
import { ContactDirectory } from './contact-directory';
import { ContactEntry, ContactFate } from './contact-entry.entity';

/** Identity's merges and erasures: leads follow the surviving contact, or disappear with an erased one. */
@Injectable()
export class ContactFates {
  constructor(private readonly outbox: Outbox, private readonly changes: LeadChanges, private readonly contacts: ContactDirectory) {}

  /**
   * The merged contact's leads move to the survivor with their whole history. A contact keeps at most one
   * active lead: when both had one, the survivor's stays active and the other is closed as Archived, saying why.
   */
  @OnEvent(ContactsMergedEvent, { purpose: 'repoint-leads-of-merged-contact' })
  async onContactsMerged(event: ReceivedEvent<ContactsMerged>, tx: EntityManager): Promise<void> {
    const { accountId, mergedContactId, survivorContactId, survivor, mergeId } = event.data;
    await tx.upsert(ContactFate, {
      contactId: mergedContactId, accountId, fate: 'merged', survivorContactId, decidedAt: new Date(event.data.mergedAt),
    }, ['contactId']);
    await tx.delete(ContactEntry, { contactId: mergedContactId, accountId });
    const moving = await tx.find(Lead, { where: { accountId, contactId: mergedContactId }, lock: { mode: 'pessimistic_write' } });
    const survivorActive = await tx.findOne(Lead, { where: { accountId, contactId: survivorContactId, active: true }, lock: { mode: 'pessimistic_write' } });
    for (const lead of moving) {
      lead.contactId = survivorContactId;
      if (lead.active && survivorActive) {
        const reason = `contact merged into ${survivorContactId}; lead ${survivorActive.id} stays the contact's active lead`;
        await tx.update(Lead, { id: lead.id }, { closedReason: reason });
        await this.changes.changeStatus(tx, lead, { from: lead.status, to: 'archived', active: false }, null, reason);
      }
    }
    await tx.update(Lead, { accountId, contactId: mergedContactId }, {
      contactId: survivorContactId, contact: survivor, displayName: survivor.displayName, searchText: searchTextOf(survivor),
    });
    for (const table of ['lead_history', 'follow_ups', 'broadcast_deliveries']) {
      await tx.query(`UPDATE ${table} SET contact_id = $1 WHERE account_id = $2 AND contact_id = $3`, [survivorContactId, accountId, mergedContactId]);
    }
    for (const lead of moving) {
      await addHistory(tx, lead, 'contact_merged', { mergeId, mergedContactId, survivorContactId, active: lead.active });
    }
    await this.contacts.rememberWhereHere(tx, accountId, survivor, new Date(event.data.mergedAt));
  }

  /** Right to be forgotten: the contact's leads, timelines, follow-ups and deliveries go, and lead.deleted tells everyone. */
  @OnEvent(ContactErasedEvent, { purpose: 'erase-leads-of-contact' })
  async onContactErased(event: ReceivedEvent<ContactErased>, tx: EntityManager): Promise<void> {
    const { accountId, contactId, erasedAt } = event.data;
    await tx.upsert(ContactFate, { contactId, accountId, fate: 'erased', survivorContactId: null, decidedAt: new Date(erasedAt) }, ['contactId']);
    const leads = await tx.find(Lead, { where: { accountId, contactId }, lock: { mode: 'pessimistic_write' } });
    const entry = await tx.findOneBy(ContactEntry, { contactId, accountId });
    await tx.query(
      'DELETE FROM broadcast_deliveries WHERE account_id = $1 AND (contact_id = $2 OR recipient = ANY($3::text[]))',
      [accountId, contactId, [contactId, ...(entry?.emails ?? []), ...(entry?.phones ?? [])]],
    );
    // Timelines and follow-ups go with their leads (ON DELETE CASCADE).
    await tx.delete(Lead, { accountId, contactId });
    await tx.delete(ContactEntry, { contactId, accountId });
    const deletedAt = new Date().toISOString();
    await this.outbox.addMany(tx, LeadDeletedEvent, leads.map((lead) => ({
      payload: { accountId, leadId: lead.id, contactId, reason: 'erased' as const, deletedAt }, ceSubject: lead.id,
    })));
  }
}
