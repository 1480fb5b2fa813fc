import { compactText, mailboxParts, normalizeDateOfBirth, normalizeEmail, normalizePhone, normalizeText } from './normalize';

describe('normalize', () => {
  it('folds case, accents and punctuation', () => {
    expect(normalizeText("  José O'Neil-Smith ")).toBe('jose o neil smith');
    expect(compactText('Pridham Street')).toBe('pridhamstreet');
    expect(normalizeText(undefined)).toBe('');
  });

  it('lower-cases e-mails and rejects non-addresses', () => {
    expect(normalizeEmail(' John.Doe@Gmail.com ')).toBe('john.doe@gmail.com');
    expect(normalizeEmail('not an email')).toBe('');
  });

  it('splits a mailbox into its Gmail-style canonical form', () => {
    expect(mailboxParts('j.o.doe+news@googlemail.com')).toEqual({
      local: 'j.o.doe+news',
      domain: 'gmail.com',
      canonicalLocal: 'jodoe',
      hadDots: true,
      hadTag: true,
    });
    expect(mailboxParts('@nowhere')).toBeUndefined();
  });

  it('brings phones in any format to E.164', () => {
    expect(normalizePhone('(02) 9876 5432', 'AU')).toBe('+61298765432');
    expect(normalizePhone('+61 2 9876 5432')).toBe('+61298765432');
    expect(normalizePhone('0412 345 678', 'AU')).toBe('+61412345678');
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('12', 'AU')).toBeUndefined();
  });

  it('reads dates of birth with or without separators', () => {
    expect(normalizeDateOfBirth('1956-04-09')).toBe('19560409');
    expect(normalizeDateOfBirth('19560409')).toBe('19560409');
    expect(normalizeDateOfBirth('1956-4-9')).toBe('');
  });
});
