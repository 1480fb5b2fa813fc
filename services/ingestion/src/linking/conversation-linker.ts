import {
  ContactCreatedEvent, ContactMatchedEvent, ConversationLinkedEvent, type ContactCreated, type ContactMatched,
} from '@leadline/contracts';
import { OnEvent, Outbox, type ReceivedEvent } from '@leadline/messaging';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ConversationEventKind } from '../conversations/conversation-event.entity';

/** Applies identity's verdicts to conversations: anonymous until linked; a duplicate stays anonymous. */
@Injectable()
export class ConversationLinker {
  constructor(private readonly outbox: Outbox) {}

  @OnEvent(ContactCreatedEvent, { purpose: 'link-created-contact' })
  async onContactCreated(event: ReceivedEvent<ContactCreated>, tx: EntityManager): Promise<void> {
    const { accountId, conversationId, contactId } = event.data;
    if (!conversationId) return; // an imported or API-created contact has no conversation to link
    await this.link(tx, accountId, conversationId, contactId, occurredAt(event.data.createdAt));
  }

  @OnEvent(ContactMatchedEvent, { purpose: 'link-matched-contact' })
  async onContactMatched(event: ReceivedEvent<ContactMatched>, tx: EntityManager): Promise<void> {
    const matched = event.data;
    const original = matched.originalConversationId;
    if (!matched.duplicateConversation || !original || original === matched.conversationId) {
      await this.link(tx, matched.accountId, matched.conversationId, matched.contactId, occurredAt(matched.matchedAt));
      return;
    }
    // Once per duplicate: the same verdict again (another event id for it) adds no second note.
    const noted = await queryPrepared(tx, noteWhere(
      `UPDATE conversations SET original_conversation_id = $3 WHERE id = $1 AND account_id = $2
       AND original_conversation_id IS DISTINCT FROM $3
       AND EXISTS (SELECT 1 FROM conversations o WHERE o.id = $3 AND o.account_id = $2) RETURNING id`, 'new_conversation'),
      [matched.conversationId, matched.accountId, original, uuidv7(), JSON.stringify({
        title: 'A new conversation has occurred', conversationId: matched.conversationId,
        conversationUrl: matched.conversationUrl, channel: matched.channel, summary: matched.summary,
      }), occurredAt(matched.matchedAt), original]);
    if (noted.length === 0) return;
    await this.outbox.add(tx, ConversationLinkedEvent, {
      accountId: matched.accountId, conversationId: matched.conversationId, contactId: matched.contactId,
      duplicate: true, originalConversationId: original, linkedAt: new Date().toISOString(),
    }, matched.conversationId);
  }

  private async link(tx: EntityManager, accountId: string, conversationId: string, contactId: string, at: Date): Promise<void> {
    const noted = await queryPrepared(tx, noteWhere(
      `UPDATE conversations SET contact_id = $3 WHERE id = $1 AND account_id = $2
       AND contact_id IS DISTINCT FROM $3 RETURNING id`, 'linked'),
      [conversationId, accountId, contactId, uuidv7(), JSON.stringify({ contactId }), at, conversationId]);
    if (noted.length === 0) return;
    await this.outbox.add(tx, ConversationLinkedEvent, {
      accountId, conversationId, contactId, duplicate: false, originalConversationId: null,
      linkedAt: new Date().toISOString(),
    }, conversationId);
  }
}

/**
 * The conversation's change (an UPDATE of $1/$2 … RETURNING id) and, only if it changed something, its note in the
 * timeline (id $4, data $5, at $6, on conversation $7), in one statement: both or neither, one round trip.
 */
function noteWhere(change: string, kind: ConversationEventKind): string {
  return `WITH changed AS (${change})
    INSERT INTO conversation_events (id, account_id, conversation_id, kind, data, created_at)
    SELECT $4, $2, $7, '${kind}', $5::jsonb, $6 FROM changed RETURNING id`;
}

/**
 * A conversation's events are ordered by when identity decided them, not by when this service got round to them:
 * created and matched verdicts arrive on separate consumers, in either order.
 */
function occurredAt(decidedAt: string): Date {
  const at = new Date(decidedAt);
  return Number.isNaN(at.getTime()) ? new Date() : at;
}
