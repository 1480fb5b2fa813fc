import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Session and system tokens: compact JWS (a JWT) signed with Ed25519 ("EdDSA") by the accounts service and
 * verified by every service with the public key alone, so no service calls accounts to check a caller.
 * Hand-written on node:crypto rather than `jose`: it is synchronous (test helpers build headers without
 * awaiting), has no dependency, and accepts exactly one algorithm, so there is no `alg` confusion to defend.
 */
export interface AccessClaims {
  /** The member id, or `system:<api key id>` for a token exchanged for an API key. */
  sub: string;
  /** The account the token acts for. */
  acc: string;
  kind: 'member' | 'system';
  role: 'admin' | 'agent';
  /** Issued at and expiry, seconds since the epoch. */
  iat: number;
  exp: number;
}

export const TOKEN_ISSUER = 'leadline-accounts';
const HEADER = base64url(JSON.stringify({ alg: 'EdDSA', typ: 'JWT' }));
const MAX_TOKEN_LENGTH = 4096;

/** An Ed25519 key from PEM text or base64 DER (SPKI for public, PKCS#8 for private): env vars hold either. */
export function readPublicKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPublicKey(text)
    : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 public key, got ${key.asymmetricKeyType}`);
  return key;
}

export function readPrivateKey(text: string): KeyObject {
  const key = text.includes('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 private key, got ${key.asymmetricKeyType}`);
  return key;
}

/** The base64 DER form of a public key, as SESSION_PUBLIC_KEY takes it. */
export function publicKeyText(key: KeyObject): string {
  return (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' }).toString('base64');
}

export function signAccessToken(privateKey: KeyObject, claims: Omit<AccessClaims, 'iat' | 'exp'>, ttlSeconds: number, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const payload = base64url(JSON.stringify({ iss: TOKEN_ISSUER, ...claims, iat, exp: iat + ttlSeconds }));
  const signature = sign(null, Buffer.from(`${HEADER}.${payload}`), privateKey);
  return `${HEADER}.${payload}.${signature.toString('base64url')}`;
}

/** The token's claims, or undefined when it is malformed, not signed by our key, expired or not ours. */
export function verifyAccessToken(publicKey: KeyObject, token: string, now = Date.now()): AccessClaims | undefined {
  if (token.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  let valid = false;
  try {
    valid = verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return undefined;
  }
  if (!valid) return undefined;
  const claims = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!isClaims(claims) || claims.exp * 1000 <= now) return undefined;
  return claims;
}

function isClaims(value: unknown): value is AccessClaims & { iss: string } {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return c['iss'] === TOKEN_ISSUER && typeof c['sub'] === 'string' && typeof c['acc'] === 'string'
    && (c['kind'] === 'member' || c['kind'] === 'system') && (c['role'] === 'admin' || c['role'] === 'agent')
    && typeof c['iat'] === 'number' && typeof c['exp'] === 'number';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}
