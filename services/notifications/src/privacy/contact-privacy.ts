import { ContactErasedEvent, ContactsMergedEvent, type ContactErased, type ContactsMerged } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { contactName } from '../notifications/notification-titles';

/** What stands in for an erased contact's name in titles that keep their label ("New Lead: erased contact"). */
export const ERASED_NAME = 'erased contact';

/**
 * Erasure removes the contact's personal data from every stored notification and delivery (titles, fields,
 * summaries, quoted messages); queued emails and webhooks about them are cancelled. A merge re-points them.
 */
@Injectable()
export class ContactPrivacy {
  @OnEvent(ContactErasedEvent, { purpose: 'contact-erased' })
  async onErased(event: ReceivedEvent<ContactErased>, tx: EntityManager): Promise<void> {
    const { accountId, contactId } = event.data;
    const conversations = `SELECT conversation_id FROM tracked_conversations WHERE account_id = $1 AND contact_id = $2`;
    await tx.query(
      `UPDATE notifications SET title = (body->>'label') || ': ${ERASED_NAME}',
         body = jsonb_build_object('label', body->>'label', 'name', '${ERASED_NAME}', 'contact', '{}'::jsonb, 'summary', NULL,
           'conversationUrl', body->'conversationUrl', 'channel', body->'channel', 'details', '[]'::jsonb, 'erased', true)
       WHERE account_id = $1 AND (contact_id = $2 OR conversation_id IN (${conversations}))`,
      [accountId, contactId],
    );
    await tx.query(
      `UPDATE deliveries SET status = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled' ELSE status END,
         claim_token = NULL, lease_until = NULL,
         payload = CASE WHEN channel = 'webhook' THEN payload - 'data' || jsonb_build_object('data', jsonb_build_object('erased', true))
                        ELSE payload END,
         last_error = CASE WHEN status IN ('pending', 'sending') THEN 'cancelled: the contact was erased' ELSE last_error END
       WHERE account_id = $1 AND (contact_id = $2 OR notification_id IN (
         SELECT id FROM notifications WHERE account_id = $1 AND conversation_id IN (${conversations})))`,
      [accountId, contactId],
    );
    for (const table of ['tracked_conversations', 'tracked_leads']) {
      await tx.query(`UPDATE ${table} SET display_name = NULL, contact = NULL, summary = NULL WHERE account_id = $1 AND contact_id = $2`,
        [accountId, contactId]);
    }
  }

  @OnEvent(ContactsMergedEvent, { purpose: 'contacts-merged' })
  async onMerged(event: ReceivedEvent<ContactsMerged>, tx: EntityManager): Promise<void> {
    const { accountId, survivorContactId, mergedContactId, survivor } = event.data;
    const params = [accountId, mergedContactId, survivorContactId];
    await tx.query(`UPDATE notifications SET contact_id = $3 WHERE account_id = $1 AND contact_id = $2`, params);
    await tx.query(`UPDATE deliveries SET contact_id = $3 WHERE account_id = $1 AND contact_id = $2`, params);
    const snapshot = [contactName(survivor), JSON.stringify(survivor)];
    await tx.query(`UPDATE tracked_leads SET contact_id = $3, display_name = $4, contact = $5::jsonb
      WHERE account_id = $1 AND contact_id IN ($2, $3)`, [...params, ...snapshot]);
    await tx.query(`UPDATE tracked_conversations SET contact_id = $3, display_name = $4, contact = $5::jsonb
      WHERE account_id = $1 AND contact_id IN ($2, $3)`, [...params, ...snapshot]);
  }
}
