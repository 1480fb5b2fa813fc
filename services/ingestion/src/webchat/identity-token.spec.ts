import { createHmac } from 'node:crypto';
import { isValidIdentityToken, signIdentityToken } from './identity-token';

describe('web chat identity token', () => {
  const secret = 'a-secret-of-sixteen-chars';

  it('is the hex HMAC-SHA256 of the user id under the identity secret', () => {
    expect(signIdentityToken(secret, 'user-42')).toBe(createHmac('sha256', secret).update('user-42').digest('hex'));
    expect(isValidIdentityToken(secret, 'user-42', signIdentityToken(secret, 'user-42'))).toBe(true);
    expect(isValidIdentityToken(secret, 'user-42', signIdentityToken(secret, 'user-42').toUpperCase())).toBe(true);
  });

  it('refuses another user id, another secret, or something that is not a token', () => {
    const token = signIdentityToken(secret, 'user-42');
    expect(isValidIdentityToken(secret, 'user-43', token)).toBe(false);
    expect(isValidIdentityToken('another-secret-value', 'user-42', token)).toBe(false);
    expect(isValidIdentityToken(secret, 'user-42', token.slice(0, 63))).toBe(false);
    expect(isValidIdentityToken(secret, 'user-42', 'z'.repeat(64))).toBe(false);
  });
});
