import { NotificationCreatedEvent, type NotificationKind } from '@leadline/contracts';
import { Outbox } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { TeamDirectory } from '../members/team-directory';
import type { NotificationBody } from './notification.entity';

export interface NotificationDraft {
  accountId: string;
  kind: NotificationKind;
  title: string;
  body: NotificationBody;
  conversationId: string | null;
  contactId: string | null;
  sourceEventId: string;
}

/** Stores one notification per recipient, once: a repeat of the same event for the same member is ignored. */
@Injectable()
export class NotificationWriter {
  constructor(private readonly team: TeamDirectory, private readonly outbox: Outbox) {}

  async notifyTeam(tx: EntityManager, draft: NotificationDraft): Promise<number> {
    const recipients = await this.team.recipientsFor(tx, draft.accountId);
    let stored = 0;
    for (const member of recipients) {
      const id = uuidv7();
      const inserted = await tx.query(
        `INSERT INTO notifications (id, account_id, member_id, kind, title, body, conversation_id, contact_id, source_event_id)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) ON CONFLICT (member_id, source_event_id, kind) DO NOTHING RETURNING id`,
        [id, draft.accountId, member.memberId, draft.kind, draft.title, JSON.stringify(draft.body), draft.conversationId,
          draft.contactId, draft.sourceEventId],
      ) as unknown[];
      if (inserted.length === 0) continue;
      stored += 1;
      await this.outbox.add(tx, NotificationCreatedEvent, {
        accountId: draft.accountId, notificationId: id, memberId: member.memberId, kind: draft.kind, title: draft.title,
        conversationId: draft.conversationId, contactId: draft.contactId, createdAt: new Date().toISOString(),
      }, id);
    }
    return stored;
  }
}
