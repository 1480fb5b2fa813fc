import type { KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { verifyAccessToken, type AccessClaims } from './access-token';

const MAX_TOKENS = 10_000;

/**
 * Session and system tokens whose signature has been checked, so a client sending the same token with every request
 * is verified once, not per request (an Ed25519 verification was half a millisecond of CPU per request in bench/e2e).
 * Keyed by the whole token, signature included: only a byte-identical copy of a verified token hits. Entries leave
 * when the token expires; a failed verification is never remembered. What may change while a token is valid (the
 * member removed, deactivated or given another role) is checked by the guard on every request, as before.
 */
export class VerifiedTokens {
  private readonly verified = new LRUCache<string, AccessClaims>({ max: MAX_TOKENS });

  constructor(private readonly publicKey: KeyObject, private readonly verify = verifyAccessToken) {}

  claimsOf(token: string, now = Date.now()): AccessClaims | undefined {
    const known = this.verified.get(token);
    if (known) {
      if (known.exp * 1000 > now) return known;
      this.verified.delete(token);
      return undefined;
    }
    const claims = this.verify(this.publicKey, token, now);
    if (claims) this.verified.set(token, claims);
    return claims;
  }
}
