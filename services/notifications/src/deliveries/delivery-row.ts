import type { EmailPayload, WebhookPayload } from './delivery-scheduler';

/** A delivery as the worker claimed it. */
export interface ClaimedDelivery {
  id: string;
  account_id: string;
  channel: 'email' | 'webhook';
  recipient: string;
  notification_id: string | null;
  endpoint_id: string | null;
  payload: EmailPayload | WebhookPayload;
  /** Including the one being made now. */
  attempts: number;
  claim_token: string;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** Retrying cannot help (the notification or endpoint is gone): fail now. */
  permanent?: boolean;
}
