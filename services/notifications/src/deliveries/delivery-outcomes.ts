import { NotificationDeliveredEvent, NotificationFailedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationsConfig } from '../notifications.config';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import { retryDelayMs } from './backoff';
import type { EmailPayload, WebhookPayload } from './delivery-scheduler';
import type { AttemptOutcome, ClaimedDelivery } from './delivery-row';

interface FailedRow {
  id: string;
  account_id: string;
  channel: 'email' | 'webhook';
  recipient: string;
  notification_id: string | null;
  endpoint_id: string | null;
  attempts: number;
  payload: EmailPayload | WebhookPayload;
}

/**
 * Records an attempt: delivered, retried later with a growing delay, or failed for good; a webhook endpoint that
 * keeps failing is switched off. The row, its log and the delivered/failed event commit together.
 */
@Injectable()
export class DeliveryOutcomes {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
  ) {}

  async record(delivery: ClaimedDelivery, outcome: AttemptOutcome, durationMs: number, worker: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      // Only the holder of the claim may settle it (a worker that outlived its lease lost it to another).
      const [held] = await tx.query(`SELECT id FROM deliveries WHERE id = $1 AND claim_token = $2 AND status = 'sending' FOR UPDATE`,
        [delivery.id, delivery.claim_token]) as unknown[];
      if (!held) return;
      await tx.query(
        `INSERT INTO delivery_attempts (delivery_id, attempt, ok, status_code, error, duration_ms, worker)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [delivery.id, delivery.attempts, outcome.ok, outcome.statusCode, outcome.error?.slice(0, 2000) ?? null, durationMs, worker],
      );
      if (outcome.ok) await this.delivered(tx, delivery);
      else await this.failedAttempt(tx, delivery, outcome);
    });
  }

  private async delivered(tx: EntityManager, delivery: ClaimedDelivery): Promise<void> {
    await tx.query(`UPDATE deliveries SET status = 'delivered', delivered_at = now(), claim_token = NULL, lease_until = NULL,
      last_error = NULL WHERE id = $1`, [delivery.id]);
    if (delivery.endpoint_id) await tx.query(`UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $1`, [delivery.endpoint_id]);
    await this.outbox.add(tx, NotificationDeliveredEvent, {
      ...this.reference(delivery), deliveredAt: new Date().toISOString(),
    });
  }

  private async failedAttempt(tx: EntityManager, delivery: ClaimedDelivery, outcome: AttemptOutcome): Promise<void> {
    const error = outcome.error ?? 'unknown error';
    const final = outcome.permanent === true || delivery.attempts >= this.config.DELIVERY_MAX_ATTEMPTS;
    if (final) {
      await this.fail(tx, [delivery.id], error);
    } else {
      const delay = retryDelayMs(delivery.attempts, this.config.DELIVERY_RETRY_BASE_MS);
      await tx.query(`UPDATE deliveries SET status = 'pending', claim_token = NULL, lease_until = NULL, last_error = $2,
        next_attempt_at = now() + make_interval(secs => $3::double precision / 1000) WHERE id = $1`, [delivery.id, error, delay]);
    }
    if (delivery.endpoint_id && !outcome.permanent) await this.countEndpointFailure(tx, delivery.endpoint_id);
  }

  /** After WEBHOOK_DISABLE_AFTER consecutive failures the endpoint is switched off and its queue failed. */
  private async countEndpointFailure(tx: EntityManager, endpointId: string): Promise<void> {
    const [[endpoint]] = await tx.query(
      `UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $1
       RETURNING consecutive_failures, active`, [endpointId],
    ) as [{ consecutive_failures: number; active: boolean }[], number];
    if (!endpoint?.active || endpoint.consecutive_failures < this.config.WEBHOOK_DISABLE_AFTER) return;
    const reason = `switched off after ${endpoint.consecutive_failures} consecutive failed deliveries; fix it and PATCH {"active": true}`;
    await tx.query(`UPDATE webhook_endpoints SET active = false, disabled_at = now(), disabled_reason = $2 WHERE id = $1`,
      [endpointId, reason]);
    const queued = await tx.query(`SELECT id FROM deliveries WHERE endpoint_id = $1 AND status = 'pending'`, [endpointId]) as { id: string }[];
    await this.fail(tx, queued.map((q) => q.id), `the endpoint was ${reason}`);
  }

  private async fail(tx: EntityManager, ids: string[], error: string): Promise<void> {
    if (ids.length === 0) return;
    const [rows] = await tx.query(
      `UPDATE deliveries SET status = 'failed', claim_token = NULL, lease_until = NULL, last_error = $2 WHERE id = ANY($1::uuid[])
       RETURNING id, account_id, channel, recipient, notification_id, endpoint_id, attempts, payload`, [ids, error.slice(0, 2000)],
    ) as [FailedRow[], number];
    for (const row of rows) {
      await this.outbox.add(tx, NotificationFailedEvent, {
        ...this.reference(row), error: error.slice(0, 2000), attempts: Math.max(1, row.attempts), failedAt: new Date().toISOString(),
      });
    }
  }

  /** Webhook deliveries belong to no member's notification: their delivery id stands in for it. */
  private reference(row: Pick<FailedRow, 'id' | 'account_id' | 'channel' | 'recipient' | 'notification_id' | 'endpoint_id' | 'payload'>) {
    const recipient = row.channel === 'email' ? (row.payload as EmailPayload).to : row.recipient;
    return {
      accountId: row.account_id, notificationId: row.notification_id ?? row.id, channel: row.channel,
      recipient: recipient.slice(0, 500), deliveryId: row.id, ...(row.endpoint_id ? { endpointId: row.endpoint_id } : {}),
    };
  }
}
