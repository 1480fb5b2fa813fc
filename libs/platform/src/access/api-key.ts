import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 256 random bits, shown once and stored only as their SHA-256. A slow password hash (bcrypt,
 * scrypt) protects guessable human secrets against brute force; a 256-bit random key cannot be guessed, so
 * a fast hash is as safe and lets every service check a key on every request in microseconds.
 */
export const API_KEY_PREFIX = 'llk_';
const API_KEY_PATTERN = /^llk_[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
