import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { publicKeyText, signAccessToken } from '@leadline/platform';

/**
 * Request headers that authenticate a test as someone of an account. Every test that calls a Leadline
 * HTTP API goes through these, so the way credentials work can change in one place.
 *
 * They are real credentials: tokens signed with this process's test key pair, whose public half every service
 * a TestRun starts gets as SESSION_PUBLIC_KEY (and accounts the private half as SESSION_PRIVATE_KEY), exactly as
 * accounts would issue them in production. API keys proper are exercised by the accounts and isolation tests.
 */
export interface TestCredential {
  accountId: string;
  /** A member acting through a session token; without it, a system (a token as an API key exchange gives). */
  memberId?: string;
  role?: 'admin' | 'agent';
}

const keys = generateKeyPairSync('ed25519');
const operatorKey = `op_${randomBytes(24).toString('base64url')}`;

/** The key pair the test services trust; `SESSION_*` env values for services started outside TestRun.env(). */
export const testSessionKeys = {
  privateKey: keys.privateKey,
  publicKeyText: publicKeyText(keys.publicKey),
  privateKeyText: keys.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
};

/** The operator key (account creation) a TestRun's accounts service accepts, and its SHA-256 for the env. */
export const testOperatorKey = { key: operatorKey, sha256: createHash('sha256').update(operatorKey).digest('hex') };

const TEST_TOKEN_TTL_SECONDS = 3600;

/** Headers for a member's session (default role admin). */
export function memberHeaders(accountId: string, options: { memberId?: string; role?: 'admin' | 'agent' } = {}): Record<string, string> {
  return credentialHeaders({ accountId, ...(options.memberId ? { memberId: options.memberId } : {}), role: options.role ?? 'admin' });
}

/** Headers for a system-to-system call for the account. */
export function systemHeaders(accountId: string): Record<string, string> {
  return credentialHeaders({ accountId });
}

/** Headers of the platform operator, who alone may create accounts. */
export function operatorHeaders(): Record<string, string> {
  return { authorization: `Bearer ${operatorKey}` };
}

/** A signed token for the credential; `ttlSeconds` below zero makes an expired one. */
export function testToken(credential: TestCredential, ttlSeconds = TEST_TOKEN_TTL_SECONDS): string {
  return signAccessToken(keys.privateKey, credential.memberId
    ? { sub: credential.memberId, acc: credential.accountId, kind: 'member', role: credential.role ?? 'admin' }
    : { sub: 'system:test', acc: credential.accountId, kind: 'system', role: 'admin' }, ttlSeconds);
}

function credentialHeaders(credential: TestCredential): Record<string, string> {
  return { authorization: `Bearer ${testToken(credential)}` };
}
