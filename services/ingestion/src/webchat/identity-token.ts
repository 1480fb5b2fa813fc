import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The web chat identity token: hex HMAC-SHA256 of the business's own user id, keyed by the account's identity
 * secret (computed by the business's server, never in the browser). A valid one makes the `external_user`
 * identifier verified. Hand-written with node:crypto: it is one HMAC and a constant-time compare.
 */
export function signIdentityToken(identitySecret: string, userId: string): string {
  return createHmac('sha256', identitySecret).update(userId, 'utf8').digest('hex');
}

export function isValidIdentityToken(identitySecret: string, userId: string, token: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(token)) return false;
  return timingSafeEqual(Buffer.from(signIdentityToken(identitySecret, userId), 'hex'), Buffer.from(token, 'hex'));
}
