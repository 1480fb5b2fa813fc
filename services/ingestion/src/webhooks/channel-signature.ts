import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Leadline's own webhook signature, for the voice and email webhooks (providers vary, so we define one that any
 * relay can compute): `X-Leadline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * the secret being the channel's `authToken` from the account's channel settings. The timestamp is signed too and
 * must be within the tolerance, so a captured request cannot be replayed later. Hand-written: it is a dozen lines
 * of node:crypto, and no library implements this exact scheme.
 */
export const SIGNATURE_HEADER = 'x-leadline-signature';

export function signChannelPayload(secret: string, body: Buffer | string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export type SignatureVerdict = 'valid' | 'missing' | 'malformed' | 'expired' | 'mismatch';

export function verifyChannelSignature(
  secret: string, body: Buffer | string, header: string | undefined, nowSeconds: number, toleranceSeconds: number,
): SignatureVerdict {
  if (!header) return 'missing';
  const parts = new Map(header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  }));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/i.test(given)) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'expired';
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? 'valid' : 'mismatch';
}

/** What a 403 says for each failed verdict: what was wrong and what to do. */
export function signatureProblem(verdict: Exclude<SignatureVerdict, 'valid'>): string {
  switch (verdict) {
    case 'missing': return `${SIGNATURE_HEADER} is missing: sign the raw body with the channel's secret`;
    case 'malformed': return `${SIGNATURE_HEADER} must look like "t=<unix seconds>,v1=<hex HMAC-SHA256>"`;
    case 'expired': return `${SIGNATURE_HEADER} timestamp is too far from now: sign each request when sending it`;
    case 'mismatch': return `${SIGNATURE_HEADER} does not match the body: check the channel's secret`;
  }
}
