import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret';
  const body = '{"id":"1","type":"new_lead"}';

  it('is an HMAC-SHA256 over "<timestamp>.<body>"', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies its own signature and refuses a changed body, another secret or an old timestamp', () => {
    const now = 1700000000_000;
    const signature = signWebhook(secret, 1700000000, body);
    expect(verifyWebhook(secret, 1700000000, body, signature, 300, now)).toBe(true);
    expect(verifyWebhook(secret, 1700000000, `${body} `, signature, 300, now)).toBe(false);
    expect(verifyWebhook('other', 1700000000, body, signature, 300, now)).toBe(false);
    expect(verifyWebhook(secret, 1700000000, body, signature, 300, now + 301_000)).toBe(false);
  });
});
