import {
  ContactErasedEvent, ContactsMergedEvent, ContactsUnmergedEvent, type ContactErased, type ContactsMerged,
  type ContactsUnmerged,
} from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';

export const ERASED_TEXT = '[erased]';

/** Follows identity's merges and erasures, so conversations never point at a contact that is gone. */
@Injectable()
export class ContactLifecycle {
  /** The merged contact's conversations now belong to the survivor. */
  @OnEvent(ContactsMergedEvent, { purpose: 'repoint-merged-contact' })
  async onMerged(event: ReceivedEvent<ContactsMerged>, tx: EntityManager): Promise<void> {
    const { accountId, mergedContactId, survivorContactId, mergeId } = event.data;
    const ids = await this.repoint(tx, accountId, mergedContactId, survivorContactId);
    await this.note(tx, accountId, ids, 'contact_merged', { mergeId, from: mergedContactId, to: survivorContactId });
  }

  /** An undone merge: the conversations identity names go back to the restored contact. */
  @OnEvent(ContactsUnmergedEvent, { purpose: 'repoint-unmerged-contact' })
  async onUnmerged(event: ReceivedEvent<ContactsUnmerged>, tx: EntityManager): Promise<void> {
    const { accountId, survivorContactId, restoredContactId, conversationIds, mergeId } = event.data;
    if (conversationIds.length === 0) return;
    const [rows] = await tx.query(
      `UPDATE conversations SET contact_id = $3 WHERE account_id = $1 AND contact_id = $2 AND id = ANY($4::uuid[]) RETURNING id`,
      [accountId, survivorContactId, restoredContactId, conversationIds]) as [{ id: string }[], number];
    await this.note(tx, accountId, rows.map((r) => r.id), 'contact_unmerged', { mergeId, from: survivorContactId, to: restoredContactId });
  }

  /**
   * Right to be forgotten: the texts, subjects, quoted history, signatures and media of the contact's conversations
   * (and of the duplicates linked to them) are redacted, their visitor addresses and identifiers cleared, their
   * session and idle work dropped. The conversations stay, so the inbox's counts and links still add up.
   */
  @OnEvent(ContactErasedEvent, { purpose: 'erase-contact-messages' })
  async onErased(event: ReceivedEvent<ContactErased>, tx: EntityManager): Promise<void> {
    const { accountId, contactId } = event.data;
    const [conversations] = await tx.query(
      `WITH own AS (SELECT id FROM conversations WHERE account_id = $1 AND (contact_id = $2 OR id = ANY($3::uuid[])))
       UPDATE conversations c SET identifiers = '[]', visitor_key = 'erased:' || c.id, detached_at = coalesce(c.detached_at, now()),
         idle_deadline = NULL
       WHERE c.account_id = $1 AND (c.id IN (SELECT id FROM own) OR c.original_conversation_id IN (SELECT id FROM own))
       RETURNING c.id, (SELECT visitor_key FROM conversations o WHERE o.id = c.id) AS visitor_key, c.channel`,
      [accountId, contactId, event.data.conversationIds ?? []]) as [{ id: string; visitor_key: string; channel: string }[], number];
    const ids = conversations.map((c) => c.id);
    if (ids.length === 0) return;
    await tx.query(
      `UPDATE messages SET text = $3, subject = NULL, quoted_text = NULL, signature_text = NULL, attachments = '[]',
         trace_headers = '{}'
       WHERE account_id = $1 AND conversation_id = ANY($2::uuid[])`, [accountId, ids, ERASED_TEXT]);
    await tx.query(
      `UPDATE conversation_events SET data = jsonb_build_object('erased', true)
       WHERE account_id = $1 AND (conversation_id = ANY($2::uuid[]) OR data->>'conversationId' = ANY($3::text[]))
         AND kind = 'new_conversation'`, [accountId, ids, ids]);
    const devices = conversations.filter((c) => c.channel === 'webchat').map((c) => c.visitor_key);
    await tx.query(`DELETE FROM visitor_sessions WHERE account_id = $1 AND device_id::text = ANY($2::text[])`, [accountId, devices]);
    await this.note(tx, accountId, ids, 'erased', { contactId });
  }

  /** Only conversations linked to the merged contact: its duplicates stay anonymous, pointing at their original. */
  private async repoint(tx: EntityManager, accountId: string, from: string, to: string): Promise<string[]> {
    const [rows] = await tx.query(
      `UPDATE conversations SET contact_id = $3 WHERE account_id = $1 AND contact_id = $2 RETURNING id`,
      [accountId, from, to]) as [{ id: string }[], number];
    return rows.map((row) => row.id);
  }

  private async note(tx: EntityManager, accountId: string, conversationIds: string[], kind: string, data: Record<string, unknown>): Promise<void> {
    if (conversationIds.length === 0) return;
    const values: unknown[] = [accountId, kind, JSON.stringify(data)];
    const rows = conversationIds.map((id) => {
      values.push(uuidv7(), id);
      return `($${values.length - 1}::uuid, $1::uuid, $${values.length}::uuid, $2, $3::jsonb, now())`;
    });
    await tx.query(`INSERT INTO conversation_events (id, account_id, conversation_id, kind, data, created_at) VALUES ${rows.join(', ')}`, values);
  }
}
