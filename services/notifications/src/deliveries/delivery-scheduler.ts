import { queryPrepared } from '@leadline/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { LocalAccounts, subscribes } from '../accounts/local-accounts';
import type { Recipient } from '../members/team-directory';
import type { Occurrence } from '../notifications/occurrence';
import type { NotificationsConfig } from '../notifications.config';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import { deliveryTraceHeaders } from './delivery-trace';

/** The rules a queued webhook delivery carries (none for a default announcement). */
const RULE_IDS = `COALESCE(deliveries.payload->'data'->'ruleIds', '[]'::jsonb)`;

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
 * (channel, recipient, causing event) makes each one exist once, however often the event comes and however many
 * rules it fires.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig, private readonly accounts: LocalAccounts) {}

  get emailEnabled(): boolean {
    return Boolean(this.config.SMTP_URL);
  }

  /** One email per stored notification, in one statement. */
  async scheduleEmails(tx: EntityManager, occurrence: Occurrence, mails: { notificationId: string; member: Recipient }[]): Promise<void> {
    if (!this.emailEnabled || mails.length === 0) return;
    await queryPrepared(tx,
      `INSERT INTO deliveries (id, account_id, channel, recipient, source_event_id, cause_event_id, topic, notification_id,
         contact_id, payload, status, trace_headers)
       SELECT id, $4, 'email', recipient, $5, $9, $6, notification_id, $7, payload, 'pending', $10::jsonb
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $8::uuid[]) AS m(id, recipient, payload, notification_id)
       ON CONFLICT DO NOTHING`,
      [mails.map(() => uuidv7()), mails.map((m) => m.member.memberId),
        mails.map((m) => JSON.stringify({ to: m.member.email, toName: m.member.name } satisfies EmailPayload)),
        occurrence.accountId, occurrence.sourceEventId, occurrence.topic, occurrence.contactId, mails.map((m) => m.notificationId),
        occurrence.causeEventId, deliveryTraceHeaders()],
    );
  }

  /** Every active endpoint of the account subscribed to this kind (no kinds listed: all of them). */
  async announce(tx: EntityManager, occurrence: Occurrence): Promise<number> {
    const { endpoints } = await this.accounts.setup(tx, occurrence.accountId);
    return this.queueWebhooks(tx, occurrence, endpoints.filter((e) => subscribes(e, occurrence.kind)).map((e) => e.id));
  }

  /** The chosen endpoints of an automation, if still active. */
  async toEndpoints(tx: EntityManager, occurrence: Occurrence, endpointIds: string[]): Promise<number> {
    const { endpoints } = await this.accounts.setup(tx, occurrence.accountId);
    return this.queueWebhooks(tx, occurrence, endpoints.filter((e) => endpointIds.includes(e.id)).map((e) => e.id));
  }

  /** Endpoints just read as active in this transaction: one delivery each (see insertWebhook). */
  private async queueWebhooks(tx: EntityManager, occurrence: Occurrence, endpointIds: string[]): Promise<number> {
    let queued = 0;
    for (const endpointId of endpointIds) {
      if (await this.insertWebhook(tx, occurrence, endpointId)) queued += 1;
    }
    return queued;
  }

  /**
   * One POST per event and endpoint. When a rule's call meets a delivery already queued for the same event and
   * endpoint (the default announcement, or an earlier rule) that has not been tried yet, the rule joins it
   * (`data.ruleIds`) instead of making a second call. Answers whether a new delivery was queued.
   */
  private async insertWebhook(tx: EntityManager, occurrence: Occurrence, endpointId: string): Promise<boolean> {
    const id = uuidv7();
    const ruleId = occurrence.topic.startsWith('rule:') ? occurrence.topic.slice(5) : null;
    const payload: WebhookPayload = {
      id, type: ruleId ? 'automation' : occurrence.kind, accountId: occurrence.accountId,
      sourceEventId: occurrence.sourceEventId, occurredAt: new Date().toISOString(),
      data: {
        title: occurrence.title, kind: occurrence.kind, contactId: occurrence.contactId,
        conversationId: occurrence.conversationId, ...occurrence.body, ruleIds: ruleId ? [ruleId] : [],
        ...(ruleId ? { ruleId } : {}),
      },
    };
    const [row] = await queryPrepared<{ id: string }>(tx,
      `INSERT INTO deliveries (id, account_id, channel, recipient, source_event_id, cause_event_id, topic, endpoint_id,
         contact_id, payload, status, trace_headers)
       VALUES ($1, $2, 'webhook', $3, $4, $5, $6, $10, $7, $8::jsonb, 'pending', $11::jsonb)
       ON CONFLICT (channel, recipient, cause_event_id) DO UPDATE
         SET payload = jsonb_set(deliveries.payload, '{data,ruleIds}', ${RULE_IDS} || to_jsonb($9::text))
         WHERE $9::text IS NOT NULL AND deliveries.status = 'pending' AND deliveries.attempts = 0 AND NOT ${RULE_IDS} ? $9::text
       RETURNING id`,
      [id, occurrence.accountId, endpointId, occurrence.sourceEventId, occurrence.causeEventId, occurrence.topic,
        occurrence.contactId, JSON.stringify(payload), ruleId, endpointId, deliveryTraceHeaders()],
    );
    return row?.id === id;
  }
}
