import { generateKeyPairSync } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from './access-token';
import { VerifiedTokens } from './verified-tokens';

describe('VerifiedTokens', () => {
  const ours = generateKeyPairSync('ed25519');
  const theirs = generateKeyPairSync('ed25519');
  const claims = { sub: 'member-1', acc: 'account-1', kind: 'member' as const, role: 'agent' as const };
  const now = Date.UTC(2026, 11, 6, 12);

  it('verifies a token once and answers its claims from then on', () => {
    const verify = jest.fn(verifyAccessToken);
    const tokens = new VerifiedTokens(ours.publicKey, verify);
    const token = signAccessToken(ours.privateKey, claims, 3600, now);

    const first = tokens.claimsOf(token, now);
    const again = tokens.claimsOf(token, now + 60_000);

    expect(first).toMatchObject({ sub: 'member-1', acc: 'account-1', role: 'agent' });
    expect(again).toEqual(first);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('stops answering when the token expires, even though it was verified', () => {
    const tokens = new VerifiedTokens(ours.publicKey);
    const token = signAccessToken(ours.privateKey, claims, 60, now);

    expect(tokens.claimsOf(token, now)).toBeDefined();
    expect(tokens.claimsOf(token, now + 60_000)).toBeUndefined();
  });

  it('never lets a copy with another signature, or a token of another key, ride on a verified one', () => {
    const tokens = new VerifiedTokens(ours.publicKey);
    const token = signAccessToken(ours.privateKey, claims, 3600, now);
    expect(tokens.claimsOf(token, now)).toBeDefined();

    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(tokens.claimsOf(`${header}.${payload}.${flipped}`, now)).toBeUndefined();
    expect(tokens.claimsOf(signAccessToken(theirs.privateKey, claims, 3600, now), now)).toBeUndefined();
  });
});
