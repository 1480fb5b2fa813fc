import { signAccessToken } from '@leadline/platform';
import { generateKeyPairSync } from 'node:crypto';
import type { Endpoint } from './route-catalogue';

/** A deterministic pseudo-random source (mulberry32), so a failing fuzz case can be replayed with its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

const strangerKeys = generateKeyPairSync('ed25519');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Credentials that must all be refused: missing, garbled, forged, expired, unsigned, signed by someone else. */
export function badAuthorizations(accountId: string, validToken: string): (string | undefined)[] {
  const [head, payload] = validToken.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  return [
    undefined, '', 'Bearer', 'Bearer ', 'Bearer x', 'bearer ' + validToken, 'Basic dXNlcjpwYXNz', `Token ${validToken}`,
    `Bearer ${validToken}x`, `Bearer ${validToken.slice(0, -4)}`, `Bearer ${head}.${payload}.`, `Bearer ${head}.${payload}`,
    `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    `Bearer ${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${Buffer.from('sig').toString('base64url')}`,
    `Bearer ${head}.${b64({ ...claims, role: 'admin', acc: '00000000-0000-4000-8000-000000000000' })}.${validToken.split('.')[2]}`,
    `Bearer ${signAccessToken(strangerKeys.privateKey, { sub: 'intruder', acc: accountId, kind: 'system', role: 'admin' }, 600)}`,
    `Bearer ${head}.${b64({ ...claims, exp: now - 1 })}.${validToken.split('.')[2]}`,
    `Bearer llk_${'A'.repeat(43)}`, `Bearer llk_${'A'.repeat(42)}`, `Bearer ${'A'.repeat(7000)}`, `Bearer ${'é'.repeat(20)}`,
    `Bearer ${validToken} ${validToken}`, `Bearer\t${validToken}`, `Bearer ${'.'.repeat(100)}`, `Bearer ${head}..`,
    `Bearer ${Buffer.from([0xc3, 0x28]).toString('latin1')}`,
  ];
}

/** Path parameter values that are not ids of anything: wrong shapes, injections, encodings, sizes. */
export const BAD_PARAMS = [
  'x', 'not-a-uuid', "1' OR '1'='1", '1;DROP TABLE leads', '%00', '\u0000', '../../etc/passwd', '..', '💥', '-1', '0',
  '99999999999999999999', 'a'.repeat(2000), '01a1fe75-90ac-760c-9341', '{}', '[]', 'null', 'undefined', 'true',
  'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', '%E0%A4%A', ' ', '\n', 'NaN', 'constructor', '__proto__',
];

/** Bodies that no endpoint accepts as they are: broken JSON, wrong top-level types, hostile keys, odd bytes. */
export const BAD_RAW_BODIES: (string | Buffer)[] = [
  '{', '{"a":', '}', '{"a":1,}', "{'a':1}", 'nul', '{"a":"\\x"}', '{"a":"\\ud800"}', '[' .repeat(5000), '{"a":' .repeat(3000),
  Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from([0xef, 0xbb, 0xbf, 0x7b]), '\u0000', '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}', '<?xml version="1.0"?><a/>', 'a=1&b=2', '"just a string"', '12345',
  'true', '[1,2,3]', '[{}]', '{"a":1e999999}',
];

/** A value of another type than the one a valid body has there. */
export function wrongType(rng: () => number, valid: unknown): unknown {
  if (typeof valid === 'string') return pick(rng, [12345, true, {}, [], { $ne: '' }, ['x'], 1e308, -0.5]);
  if (typeof valid === 'number') return pick(rng, ['abc', {}, [], true, '1 OR 1', 'x'.repeat(100), '12abc']);
  if (typeof valid === 'boolean') return pick(rng, ['yes', 'true ', 2, {}, [], 'x']);
  if (Array.isArray(valid)) return pick(rng, ['not an array', 42, true, { 0: 'x' }, [[[[['deep']]]]], [{ $gt: '' }]]);
  return pick(rng, ['not an object', 42, true, ['x']]);
}

export function deepObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

export function hasBody(endpoint: Endpoint): boolean {
  return ['POST', 'PUT', 'PATCH'].includes(endpoint.method);
}
