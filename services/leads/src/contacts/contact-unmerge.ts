import { ContactsUnmergedEvent, type ContactsUnmerged, type LeadStatus } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { LeadChanges } from '../lifecycle/lead-changes';
import { isFinal } from '../lifecycle/lead-rules';
import { searchTextOf } from '../leads/contact-text';
import { Lead } from '../leads/lead.entity';
import { addHistory } from '../timeline/history';
import { ContactDirectory } from './contact-directory';
import { ContactFate } from './contact-entry.entity';

/**
 * Undoing a merge gives the restored contact back the leads the merge moved (their `contact_merged` entries name
 * the merge). A lead the merge archived only because the survivor had an active one gets its status back, when
 * the restored contact has no other active lead: the system closed it, so the system reopens it.
 */
@Injectable()
export class ContactUnmerge {
  constructor(private readonly changes: LeadChanges, private readonly contacts: ContactDirectory) {}

  @OnEvent(ContactsUnmergedEvent, { purpose: 'return-leads-of-unmerged-contact' })
  async onContactsUnmerged(event: ReceivedEvent<ContactsUnmerged>, tx: EntityManager): Promise<void> {
    const { accountId, mergeId, survivorContactId, restoredContactId, restored, survivor, unmergedAt } = event.data;
    await tx.delete(ContactFate, { contactId: restoredContactId, accountId });
    const movedIds = (await tx.query(
      `SELECT lead_id FROM lead_history WHERE account_id = $1 AND kind = 'contact_merged' AND data->>'mergeId' = $2`, [accountId, mergeId],
    ) as { lead_id: string }[]).map((row) => row.lead_id);
    const leads = movedIds.length === 0 ? [] : await tx.find(Lead, {
      where: { accountId, contactId: survivorContactId, id: In(movedIds) }, lock: { mode: 'pessimistic_write' },
    });
    if (leads.length > 0) {
      const ids = leads.map((lead) => lead.id);
      await tx.update(Lead, { id: In(ids) }, {
        contactId: restoredContactId, contact: restored, displayName: restored.displayName, searchText: searchTextOf(restored),
      });
      for (const table of ['lead_history', 'follow_ups', 'broadcast_deliveries']) {
        await tx.query(`UPDATE ${table} SET contact_id = $1 WHERE account_id = $2 AND lead_id = ANY($3::uuid[])`, [restoredContactId, accountId, ids]);
      }
      for (const lead of leads) {
        lead.contactId = restoredContactId;
        await addHistory(tx, lead, 'contact_unmerged', { mergeId, survivorContactId, restoredContactId });
      }
      await this.reopenArchivedByMerge(tx, leads, restoredContactId);
    }
    await this.contacts.rememberWhereHere(tx, accountId, restored, new Date(unmergedAt));
    await this.contacts.rememberWhereHere(tx, accountId, survivor, new Date(unmergedAt));
  }

  private async reopenArchivedByMerge(tx: EntityManager, leads: Lead[], contactId: string): Promise<void> {
    if (leads.some((lead) => lead.active)) return;
    const closed = leads.filter((lead) => lead.status === 'archived' && lead.closedReason?.startsWith('contact merged into'))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    if (!closed) return;
    const [entry] = await tx.query(
      `SELECT data->>'from' AS "from" FROM lead_history WHERE lead_id = $1 AND kind = 'status_changed' AND data->>'note' = $2
       ORDER BY created_at DESC LIMIT 1`, [closed.id, closed.closedReason],
    ) as { from: LeadStatus }[];
    if (!entry || isFinal(entry.from)) return;
    const stillActive = await tx.findOneBy(Lead, { accountId: closed.accountId, contactId, active: true });
    if (stillActive) return;
    await tx.update(Lead, { id: closed.id }, { closedReason: null });
    await this.changes.changeStatus(tx, closed, { from: 'archived', to: entry.from, active: true }, null, 'the merge that archived it was undone');
  }
}
