import { Inject, Injectable } from '@nestjs/common';
import type { NotificationsConfig } from '../notifications.config';
import { outgoingTraceHeaders } from '../deliveries/delivery-trace';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER, WEBHOOK_ID_HEADER } from './webhook-signature';

export interface WebhookResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/** One signed POST to an endpoint; anything but a 2xx answer within the timeout is a failure. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  async post(url: string, secret: string, deliveryId: string, body: string): Promise<WebhookResult> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Leadline-Webhooks/1',
          [WEBHOOK_ID_HEADER]: deliveryId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          ...outgoingTraceHeaders(), // the receiver may continue the trace of the delivery
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
      });
      await response.body?.cancel(); // the answer's body is not needed; free the connection
      if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status, error: null };
      return { ok: false, statusCode: response.status, error: `the endpoint answered HTTP ${response.status}` };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      const reason = e.name === 'TimeoutError' ? `no answer within ${this.config.WEBHOOK_TIMEOUT_MS} ms`
        : e.cause?.code ?? e.cause?.message ?? e.message;
      return { ok: false, statusCode: null, error: `could not reach the endpoint: ${reason}` };
    }
  }
}
