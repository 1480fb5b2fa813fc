import { createHmac } from 'node:crypto';
import { identitySignature, signatureIsValid } from './identity-signature';

const secret = 'a-secret-of-at-least-16-chars';

describe('identify signatures', () => {
  it('is the hex HMAC-SHA256 of "userId\\nemail" by the identity secret', () => {
    const expected = createHmac('sha256', secret).update('user-42\njane@example.com').digest('hex');
    expect(identitySignature(secret, 'user-42', 'jane@example.com')).toBe(expected);
    expect(signatureIsValid(secret, 'user-42', 'jane@example.com', expected)).toBe(true);
    expect(signatureIsValid(secret, 'user-42', 'jane@example.com', expected.toUpperCase())).toBe(true);
  });

  it('signs the user id alone when no email is given', () => {
    expect(identitySignature(secret, 'user-42')).toBe(createHmac('sha256', secret).update('user-42').digest('hex'));
  });

  it('refuses a signature of another user, another email, another secret, or not a signature at all', () => {
    const good = identitySignature(secret, 'user-42', 'jane@example.com');
    expect(signatureIsValid(secret, 'user-43', 'jane@example.com', good)).toBe(false);
    expect(signatureIsValid(secret, 'user-42', 'eve@example.com', good)).toBe(false);
    expect(signatureIsValid(secret, 'user-42', undefined, good)).toBe(false);
    expect(signatureIsValid('another-secret-of-16-chars', 'user-42', 'jane@example.com', good)).toBe(false);
    expect(signatureIsValid(secret, 'user-42', 'jane@example.com', 'not-hex')).toBe(false);
    expect(signatureIsValid(secret, 'user-42', 'jane@example.com', good.slice(0, 62))).toBe(false);
  });
});
