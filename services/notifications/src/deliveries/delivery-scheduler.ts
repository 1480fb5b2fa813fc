import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { Recipient } from '../members/team-directory';
import type { Occurrence } from '../notifications/occurrence';
import type { NotificationsConfig } from '../notifications.config';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';

/** What an email delivery needs beyond its notification. */
export interface EmailPayload {
  to: string;
  toName: string;
}

/** The JSON body a webhook endpoint receives (documented in the README). */
export interface WebhookPayload {
  id: string;
  type: string;
  accountId: string;
  sourceEventId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * Queues deliveries as rows in the consuming transaction; the delivery worker sends them. The unique key
 * (channel, recipient, source event, topic) makes each one exist once, however often the event comes.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  get emailEnabled(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  /** One email per stored notification, in one statement. */
  async scheduleEmails(tx: EntityManager, occurrence: Occurrence, mails: { notificationId: string; member: Recipient }[]): Promise<void> {
    if (!this.emailEnabled || mails.length === 0) return;
    await tx.query(
      `INSERT INTO deliveries (id, account_id, channel, recipient, source_event_id, topic, notification_id, contact_id, payload, status)
       SELECT id, $4, 'email', recipient, $5, $6, notification_id, $7, payload, 'pending'
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $8::uuid[]) AS m(id, recipient, payload, notification_id)
       ON CONFLICT (channel, recipient, source_event_id, topic) DO NOTHING`,
      [mails.map(() => uuidv7()), mails.map((m) => m.member.memberId),
        mails.map((m) => JSON.stringify({ to: m.member.email, toName: m.member.name } satisfies EmailPayload)),
        occurrence.accountId, occurrence.sourceEventId, occurrence.topic, occurrence.contactId, mails.map((m) => m.notificationId)],
    );
  }

  /** Every active endpoint of the account subscribed to this kind (no kinds listed: all of them). */
  async announce(tx: EntityManager, occurrence: Occurrence): Promise<number> {
    const endpoints = await tx.query(
      `SELECT id FROM webhook_endpoints WHERE account_id = $1 AND active AND (cardinality(kinds) = 0 OR $2 = ANY(kinds))`,
      [occurrence.accountId, occurrence.kind],
    ) as { id: string }[];
    return this.toEndpoints(tx, occurrence, endpoints.map((e) => e.id));
  }

  /** The chosen endpoints of an automation, if still active. */
  async toEndpoints(tx: EntityManager, occurrence: Occurrence, endpointIds: string[]): Promise<number> {
    const active = await tx.query(`SELECT id FROM webhook_endpoints WHERE account_id = $1 AND active AND id = ANY($2::uuid[])`,
      [occurrence.accountId, endpointIds]) as { id: string }[];
    let queued = 0;
    for (const { id: endpointId } of active) {
      const id = uuidv7();
      const payload: WebhookPayload = {
        id, type: occurrence.topic.startsWith('rule:') ? 'automation' : occurrence.kind, accountId: occurrence.accountId,
        sourceEventId: occurrence.sourceEventId, occurredAt: new Date().toISOString(),
        data: {
          title: occurrence.title, kind: occurrence.kind, contactId: occurrence.contactId,
          conversationId: occurrence.conversationId, ...occurrence.body,
          ...(occurrence.topic.startsWith('rule:') ? { ruleId: occurrence.topic.slice(5) } : {}),
        },
      };
      if (await this.insert(tx, id, occurrence, 'webhook', endpointId, { endpointId, payload })) queued += 1;
    }
    return queued;
  }

  private async insert(tx: EntityManager, id: string, occurrence: Occurrence, channel: 'email' | 'webhook', recipient: string,
    extra: { notificationId?: string; endpointId?: string; payload: EmailPayload | WebhookPayload }): Promise<boolean> {
    const rows = await tx.query(
      `INSERT INTO deliveries (id, account_id, channel, recipient, source_event_id, topic, notification_id, endpoint_id,
         contact_id, payload, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, 'pending')
       ON CONFLICT (channel, recipient, source_event_id, topic) DO NOTHING RETURNING id`,
      [id, occurrence.accountId, channel, recipient, occurrence.sourceEventId, occurrence.topic, extra.notificationId ?? null,
        extra.endpointId ?? null, occurrence.contactId, JSON.stringify(extra.payload)],
    ) as unknown[];
    return rows.length > 0;
  }
}
