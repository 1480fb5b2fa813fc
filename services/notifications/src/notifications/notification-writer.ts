import { NotificationCreatedEvent } from '@leadline/contracts';
import { Outbox } from '@leadline/messaging';
import { observeMessageToNotification } from '@leadline/observability';
import { queryPrepared } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DeliveryScheduler } from '../deliveries/delivery-scheduler';
import type { Recipient } from '../members/team-directory';
import type { Occurrence } from './occurrence';

/**
 * Stores one in-app notification per recipient, once: a repeat of the same event, or a second occurrence of the same
 * cause (an automation after the default notification, a second rule), tells nobody again. Its email is queued in
 * the same transaction, so a redelivered event neither tells nor mails anyone twice.
 */
@Injectable()
export class NotificationWriter {
  constructor(private readonly outbox: Outbox, private readonly deliveries: DeliveryScheduler) {}

  async notify(tx: EntityManager, occurrence: Occurrence, recipients: Recipient[]): Promise<number> {
    if (recipients.length === 0) return 0;
    // One statement for every recipient: the consumer's transaction stays short however big the team.
    const ids = recipients.map(() => uuidv7());
    const inserted = await queryPrepared<{ id: string; member_id: string }>(tx,
      `INSERT INTO notifications (id, account_id, member_id, kind, title, body, conversation_id, contact_id, source_event_id,
         cause_event_id)
       SELECT id, $3, member_id, $4, $5, $6::jsonb, $7, $8, $9, $10 FROM unnest($1::uuid[], $2::uuid[]) AS r(id, member_id)
       ON CONFLICT DO NOTHING RETURNING id, member_id`,
      [ids, recipients.map((r) => r.memberId), occurrence.accountId, occurrence.kind, occurrence.title,
        JSON.stringify(occurrence.body), occurrence.conversationId, occurrence.contactId, occurrence.sourceEventId,
        occurrence.causeEventId],
    );
    if (inserted.length === 0) return 0;
    observeMessageToNotification(occurrence.kind); // the visitor's message -> this notification (deploy/README.md)
    const createdAt = new Date().toISOString();
    await this.outbox.addMany(tx, NotificationCreatedEvent, inserted.map((row) => ({
      payload: {
        accountId: occurrence.accountId, notificationId: row.id, memberId: row.member_id, kind: occurrence.kind,
        title: occurrence.title, conversationId: occurrence.conversationId, contactId: occurrence.contactId, createdAt,
      },
      ceSubject: row.id,
    })));
    const byMember = new Map(recipients.map((r) => [r.memberId, r]));
    await this.deliveries.scheduleEmails(tx, occurrence, inserted.map((row) => ({ notificationId: row.id, member: byMember.get(row.member_id)! })));
    return inserted.length;
  }
}
