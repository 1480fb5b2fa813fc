import { qualificationScore } from './qualification-score';

const none = { intent: 'none', urgency: 'none', budgetMentioned: false, sizeMentioned: false, contactCompleteness: 0 } as const;

describe('qualification score', () => {
  it('is 0 for a visitor who wants nothing and left nothing', () => {
    expect(qualificationScore(none)).toBe(0);
  });

  it('is 100 for an urgent, budgeted, sized request with every contact field', () => {
    expect(qualificationScore({ intent: 'high', urgency: 'high', budgetMentioned: true, sizeMentioned: true, contactCompleteness: 1 })).toBe(100);
  });

  it('ranks a quote request with an email above a question about opening hours', () => {
    const quote = qualificationScore({ ...none, intent: 'high', contactCompleteness: 2 / 6 });
    const hours = qualificationScore({ ...none, intent: 'low' });
    expect(quote).toBeGreaterThan(hours);
    expect(quote).toBe(47);
  });
});
