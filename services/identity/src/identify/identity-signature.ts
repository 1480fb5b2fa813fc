import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * What the business signs with the account's identity secret: the user id, and when an email is given, a line
 * break and the email exactly as sent. Signing the email too is what lets identify mark it verified; a signature
 * of the user id alone (the widget's identity token) cannot be replayed with someone else's email.
 */
export function signedText(userId: string, email?: string): string {
  return email === undefined ? userId : `${userId}\n${email}`;
}

/** Hex HMAC-SHA256 of the signed text: what the business computes on its server. */
export function identitySignature(secret: string, userId: string, email?: string): string {
  return createHmac('sha256', secret).update(signedText(userId, email), 'utf8').digest('hex');
}

/** Constant-time check, so the answer time says nothing about how much of a forged signature was right. */
export function signatureIsValid(secret: string, userId: string, email: string | undefined, signature: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(identitySignature(secret, userId, email), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}
