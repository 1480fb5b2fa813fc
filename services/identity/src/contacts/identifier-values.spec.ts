import { normaliseIdentifier, normalisePhone } from './identifier-values';

describe('identifier normal forms', () => {
  it('lower-cases and trims e-mail addresses, and refuses what is not one', () => {
    expect(normaliseIdentifier('email', '  John.Smith@Email.COM ', 'US')).toEqual({ ok: true, value: 'john.smith@email.com' });
    expect(normaliseIdentifier('email', 'john at email', 'US')).toEqual({ ok: false, reason: '"john at email" is not an e-mail address' });
  });

  it('writes phone numbers in E.164 whatever their format, in the account\'s region', () => {
    for (const written of ['(555) 123-4567', '555.123.4567', '+1 555 123 4567', '1-555-123-4567']) {
      expect(normalisePhone(written, 'US')).toEqual({ ok: true, value: '+15551234567' });
    }
    expect(normalisePhone('020 7946 0958', 'GB')).toEqual({ ok: true, value: '+442079460958' });
    expect(normalisePhone('+1 555 123 4567', 'GB')).toEqual({ ok: true, value: '+15551234567' });
  });

  it('refuses what cannot be a phone number, saying what to do', () => {
    const result = normalisePhone('12', 'US');
    expect(result).toEqual({ ok: false, reason: '"12" is not a phone number (add the country code if it is not in US)' });
    expect(normalisePhone('call me', 'US').ok).toBe(false);
  });

  it('keeps device ids (UUIDs) and external user ids as given, trimmed', () => {
    expect(normaliseIdentifier('device', ' 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b ', 'US'))
      .toEqual({ ok: true, value: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
    expect(normaliseIdentifier('device', 'cookie-1', 'US').ok).toBe(false);
    expect(normaliseIdentifier('external_user', ' User-42 ', 'US')).toEqual({ ok: true, value: 'User-42' });
  });

  it('refuses empty and over-long values', () => {
    expect(normaliseIdentifier('external_user', '   ', 'US')).toEqual({ ok: false, reason: 'external_user is empty' });
    expect(normaliseIdentifier('external_user', 'x'.repeat(321), 'US').ok).toBe(false);
  });
});
