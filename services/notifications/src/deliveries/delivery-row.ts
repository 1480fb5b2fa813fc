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
  /** W3C trace context of the event that queued it (null for rows queued before it was kept). */
  trace_headers: Record<string, string> | null;
  /** Where it goes: 'email' (the SMTP server) or the webhook endpoint's id; each has its own share of the slots. */
  destination: string;
}

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** Retrying cannot help (the notification or endpoint is gone): fail now. */
  permanent?: boolean;
}
