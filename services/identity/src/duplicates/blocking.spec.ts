import { BlockingIndex, blockCandidatePairs, DEFAULT_BLOCKING_RULES } from './blocking';
import { prepareCandidate } from './prepared-candidate';
import { contact } from './test-contacts';

const prepared = (...cs: Parameters<typeof contact>[]): ReturnType<typeof prepareCandidate>[] => cs.map((c) => prepareCandidate(contact(...c)));

describe('blocking', () => {
  it('brings together emails that differ by dots or a tag, and phones under another country code', () => {
    const index = new BlockingIndex();
    const [a, b, c] = prepared(
      ['a', { emails: ['j.doe+crm@gmail.com'] }],
      ['b', { phones: ['+61412345678'] }],
      ['c', { firstName: 'Zed' }],
    );
    [a, b, c].forEach((x, i) => index.add(x, i));
    expect([...index.candidatesOf(prepareCandidate(contact('q', { emails: ['jdoe@gmail.com'] })))]).toEqual([0]);
    expect([...index.candidatesOf(prepareCandidate(contact('q', { phones: ['+4412345678'] })))]).toEqual([1]);
    expect([...index.candidatesOf(prepareCandidate(contact('q', { firstName: 'Zed' })))]).toEqual([]);
  });

  it('brings together swapped names and sound-alike surnames in one postal code', () => {
    const people = prepared(
      ['a', { firstName: 'John', lastName: 'Smith' }],
      ['b', { firstName: 'Smith', lastName: 'John' }],
      ['c', { lastName: 'Smyth', postalCode: '2000' }],
      ['d', { lastName: 'Smith', postalCode: '2000' }],
      ['e', { lastName: 'Smith', postalCode: '3000' }],
    );
    const pairs = blockCandidatePairs(people, undefined);
    const found = Array.from({ length: pairs.count }, (_, k) => `${people[pairs.left[k]].id}${people[pairs.right[k]].id}`);
    expect(found.sort()).toEqual(['ab', 'cd']);
    expect(pairs.pairsByRule.get('first + last name')).toEqual(Int32Array.from([0]));
  });

  it('lists each pair once, never a contact with itself, even when several rules agree', () => {
    const twin = { firstName: 'Ann', lastName: 'Lee', dateOfBirth: '19800101', nationalId: '123', postalCode: '2000', locality: 'Sydney' };
    const pairs = blockCandidatePairs(prepared(['a', twin], ['b', twin]), undefined);
    expect(pairs.count).toBe(1);
    expect([pairs.left[0], pairs.right[0]]).toEqual([0, 1]);
    const rulesWithThePair = [...pairs.pairsByRule.values()].filter((p) => p.length === 1).length;
    expect(rulesWithThePair).toBeGreaterThanOrEqual(5);
  });

  it('links across two lists without pairing within either', () => {
    const left = prepared(['a1', { nationalId: '1' }], ['a2', { nationalId: '1' }]);
    const right = prepared(['b1', { nationalId: '1' }]);
    const pairs = blockCandidatePairs(left, right);
    expect(pairs.count).toBe(2);
    expect(Array.from(pairs.right)).toEqual([0, 0]);
  });

  it('ignores blocks larger than the limit (a shared office phone)', () => {
    const office = Array.from({ length: 20 }, (_, i) => ['c' + i, { phones: ['+61299999999'] }] as Parameters<typeof contact>);
    expect(blockCandidatePairs(prepared(...office), undefined, DEFAULT_BLOCKING_RULES, 10).count).toBe(0);
    expect(blockCandidatePairs(prepared(...office), undefined, DEFAULT_BLOCKING_RULES, 20).count).toBe(190);
  });
});
