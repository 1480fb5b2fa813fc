import { DuplicateFinder } from './duplicate-finder';
import { findDuplicatePairs, scoreCandidatePair } from './find-duplicate-pairs';
import { contact } from './test-contacts';

const account = [
  contact('1', { firstName: 'Robert', lastName: 'Miller', emails: ['rob.miller@gmail.com'], postalCode: '2000' }),
  contact('2', { firstName: 'Bob', lastName: 'Miller', emails: ['robmiller+leads@gmail.com'], postalCode: '2000' }),
  contact('3', { firstName: 'Susan', lastName: 'Miller', emails: ['susan@acme.com'], postalCode: '2000' }),
  contact('4', { firstName: 'Tom', lastName: 'Jones', phones: ['+61412345678'], locality: 'Perth' }),
];

describe('DuplicateFinder', () => {
  it('suggests the likely duplicates of a new contact, with reasons, and not itself', () => {
    const finder = new DuplicateFinder();
    account.forEach((c) => finder.add(c));
    const suggestions = finder.suggestFor(account[0]);
    expect(suggestions.map((s) => s.b)).toEqual(['2']);
    expect(suggestions[0].reasons.map((r) => r.text)).toContain('same email ignoring dots and +tag: rob.miller@gmail.com ~ robmiller+leads@gmail.com');
    expect(finder.suggestFor(contact('new', { firstName: 'Thomas', lastName: 'Jones', phones: ['+61412345678'] }))[0].b).toBe('4');
  });
});

describe('findDuplicatePairs', () => {
  it('with fixed priors finds the pair within one list and reports what it compared', () => {
    const result = findDuplicatePairs(account, undefined, { estimate: false });
    expect(result.suggestions.map((s) => [s.a, s.b])).toEqual([['1', '2']]);
    expect(result.stats.possiblePairs).toBe(6);
    expect(result.stats.candidatePairs).toBeLessThanOrEqual(6);
  });

  it('scores a single pair the same way as the batch does', () => {
    const batch = findDuplicatePairs(account, undefined, { estimate: false }).suggestions[0];
    const single = scoreCandidatePair(account[0], account[1]);
    expect(single.matchWeight).toBeCloseTo(batch.matchWeight, 10);
  });
});
