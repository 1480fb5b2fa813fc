import { scoreCandidatePair } from './find-duplicate-pairs';
import { isAdjacentTransposition } from './reasons';
import { contact } from './test-contacts';

const texts = (a: Parameters<typeof scoreCandidatePair>[0], b: Parameters<typeof scoreCandidatePair>[1]): string[] =>
  scoreCandidatePair(a, b).reasons.map((r) => r.text);

describe('duplicate reasons', () => {
  it('explains a nickname, an email differing by dots and a phone in another format', () => {
    const result = scoreCandidatePair(
      contact('a', { firstName: 'Bob', lastName: 'Smith', emails: ['bob.smith@gmail.com'], phones: ['+61412345678'] }),
      contact('b', { firstName: 'Robert', lastName: 'Smith', emails: ['bobsmith@gmail.com'], phones: ['+61 412 345 678'] }),
    );
    const reasonTexts = result.reasons.map((r) => r.text);
    expect(reasonTexts).toEqual(
      expect.arrayContaining([
        'first name nickname: Bob ~ Robert',
        'same last name: Smith',
        'same email ignoring dots: bob.smith@gmail.com ~ bobsmith@gmail.com',
        'same phone: +61412345678',
      ]),
    );
    expect(result.probability).toBeGreaterThan(0.99);
    // Strongest evidence first.
    expect(result.reasons[0].field).toMatch(/email|phone/);
  });

  it('explains a +tag, a swapped name and transposed birth digits', () => {
    expect(
      texts(
        contact('a', { firstName: 'Smith', lastName: 'John', emails: ['jsmith+shop@acme.com'], dateOfBirth: '1956-04-09' }),
        contact('b', { firstName: 'John', lastName: 'Smith', emails: ['jsmith@acme.com'], dateOfBirth: '1965-04-09' }),
      ),
    ).toEqual(
      expect.arrayContaining([
        'first and last names swapped: Smith John ~ John Smith',
        'same email ignoring +tag: jsmith+shop@acme.com ~ jsmith@acme.com',
        'date of birth digits transposed: 19560409 ~ 19650409',
      ]),
    );
  });

  it('gives reasons against, with negative weights', () => {
    const result = scoreCandidatePair(
      contact('a', { firstName: 'Anna', lastName: 'Berg', dateOfBirth: '19800101', postalCode: '2000' }),
      contact('b', { firstName: 'Anna', lastName: 'Berg', dateOfBirth: '19331225', postalCode: '6543' }),
    );
    const against = result.reasons.filter((r) => r.weight < 0).map((r) => r.text);
    expect(against).toEqual(['different place: 2000 / 6543', 'different date of birth: 19800101 / 19331225']);
    expect(result.probability).toBeLessThan(0.5);
  });

  it('says which subscriber number matched under another country code', () => {
    expect(texts(contact('a', { phones: ['+61412345678'] }), contact('b', { phones: ['+4412345678'] }))).toEqual([
      'same phone number under another country code: +61412345678 ~ +4412345678',
    ]);
  });

  it('detects a single swap of neighbouring characters', () => {
    expect(isAdjacentTransposition('19560409', '19650409')).toBe(true);
    expect(isAdjacentTransposition('19560409', '19560408')).toBe(false);
    expect(isAdjacentTransposition('abc', 'abc')).toBe(false);
  });
});
