import { normalizeEmail, normalizePhone, searchTextOf } from './contact-text';

describe('contact text', () => {
  it('joins name, emails and phones in lower case, skipping blanks and names already shown', () => {
    expect(searchTextOf({
      contactId: 'c', role: 'lead', displayName: 'John Smith', firstName: 'John', lastName: null,
      emails: ['John@Email.com'], phones: ['+15550100'],
    })).toBe('john smith john@email.com +15550100');
    expect(searchTextOf({ contactId: 'c', role: 'lead', displayName: 'jd@email.com', firstName: 'John', emails: ['jd@email.com'], phones: [] }))
      .toBe('jd@email.com john jd@email.com');
  });

  it('normalizes emails and phones for look-ups', () => {
    expect(normalizeEmail(' John@Email.COM ')).toBe('john@email.com');
    expect(normalizePhone('+1 (555) 010-0100')).toBe('+15550100100');
    expect(normalizePhone('555 0100')).toBe('5550100');
  });
});
