import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'leadline-signature';
export const TIMESTAMP_HEADER = 'leadline-timestamp';
export const WEBHOOK_ID_HEADER = 'leadline-webhook-id';

/**
 * `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret>`. The timestamp (Unix seconds) is
 * signed with the body so a receiver can refuse old replays. Node's crypto does it: no library needed.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (and what the tests do): recompute and compare in constant time, within a tolerance. */
export function verifyWebhook(secret: string, timestamp: number, body: string, signature: string,
  toleranceSeconds = 300, now = Date.now()): boolean {
  if (Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
