import { unmergeRefusal } from './contact-merge.entity';

describe('the 30-day unmerge window', () => {
  const mergedAt = new Date('2026-01-01T12:00:00Z');
  const later = (days: number) => new Date(mergedAt.getTime() + days * 86_400_000);

  it('allows an unmerge within 30 days, to the last millisecond', () => {
    expect(unmergeRefusal({ mergedAt, unmergedAt: null }, later(1))).toBeUndefined();
    expect(unmergeRefusal({ mergedAt, unmergedAt: null }, later(30))).toBeUndefined();
  });

  it('refuses after 30 days, saying when the merge was made', () => {
    expect(unmergeRefusal({ mergedAt, unmergedAt: null }, later(30.01))).toMatch(/can be undone for 30 days.*2026-01-01T12:00:00.000Z \(30 days ago\)/);
    expect(unmergeRefusal({ mergedAt, unmergedAt: null }, later(45))).toMatch(/45 days ago/);
  });

  it('refuses to undo a merge twice', () => {
    expect(unmergeRefusal({ mergedAt, unmergedAt: later(2) }, later(3))).toMatch(/already undone/);
  });
});
