import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LocalAccounts } from '../accounts/local-accounts';
import type { NotificationBody } from '../notifications/notification.entity';
import { WebhookSender } from '../webhooks/webhook-sender';
import { renderEmail } from './email-content';
import { EmailSender } from './email-sender';
import type { EmailPayload } from './delivery-scheduler';
import type { AttemptOutcome, ClaimedDelivery } from './delivery-row';

/** Makes one attempt of one delivery, by email or webhook, and says how it went. */
@Injectable()
export class DeliverySending {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: LocalAccounts,
    private readonly email: EmailSender,
    private readonly webhooks: WebhookSender,
  ) {}

  async attempt(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    try {
      return delivery.channel === 'email' ? await this.sendEmail(delivery) : await this.callWebhook(delivery);
    } catch (error) {
      return { ok: false, statusCode: null, error: (error as Error).message };
    }
  }

  private async sendEmail(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const [notification] = await this.dataSource.query(`SELECT title, body FROM notifications WHERE id = $1 AND account_id = $2`,
      [delivery.notification_id, delivery.account_id]) as { title: string; body: NotificationBody }[];
    if (!notification) return { ok: false, statusCode: null, error: 'the notification no longer exists', permanent: true };
    const account = await this.accounts.find(this.dataSource.manager, delivery.account_id);
    if (!account) {
      return { ok: false, statusCode: null, error: `account ${delivery.account_id} not known yet (no accounts.v1.account.updated seen), so there is no sender domain; retrying` };
    }
    const payload = delivery.payload as EmailPayload;
    await this.email.send({
      ...renderEmail(notification.title, notification.body), deliveryId: delivery.id,
      to: { name: payload.toName, address: payload.to }, account: { name: account.name, domain: account.domain },
    });
    return { ok: true, statusCode: null, error: null };
  }

  private async callWebhook(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    const [endpoint] = await this.dataSource.query(`SELECT url, secret, active FROM webhook_endpoints WHERE id = $1 AND account_id = $2`,
      [delivery.endpoint_id, delivery.account_id]) as { url: string; secret: string; active: boolean }[];
    if (!endpoint?.active) return { ok: false, statusCode: null, error: 'the webhook endpoint is switched off or gone', permanent: true };
    return this.webhooks.post(endpoint.url, endpoint.secret, delivery.id, JSON.stringify(delivery.payload));
  }
}
