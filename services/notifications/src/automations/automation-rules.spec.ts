import { conditionProblem, conditionsHold, type Condition } from './automation-rules';

describe('automation conditions', () => {
  const facts = { status: 'qualified', channel: 'webchat', score: 72, fromStatus: 'new', active: true };

  it('holds with no conditions', () => {
    expect(conditionsHold([], facts)).toBe(true);
  });

  it('compares text case-insensitively, numbers by order, lists by membership', () => {
    expect(conditionsHold([{ field: 'status', op: 'equals', value: 'Qualified' }], facts)).toBe(true);
    expect(conditionsHold([{ field: 'status', op: 'equals', value: 'lost' }], facts)).toBe(false);
    expect(conditionsHold([{ field: 'status', op: 'not_equals', value: 'lost' }], facts)).toBe(true);
    expect(conditionsHold([{ field: 'score', op: 'gte', value: 72 }], facts)).toBe(true);
    expect(conditionsHold([{ field: 'score', op: 'gt', value: 72 }], facts)).toBe(false);
    expect(conditionsHold([{ field: 'score', op: 'lt', value: 80 }, { field: 'score', op: 'lte', value: 72 }], facts)).toBe(true);
    expect(conditionsHold([{ field: 'channel', op: 'in', value: ['sms', 'webchat'] }], facts)).toBe(true);
    expect(conditionsHold([{ field: 'channel', op: 'in', value: ['sms'] }], facts)).toBe(false);
  });

  it('needs every condition, and a missing fact satisfies no comparison', () => {
    const both: Condition[] = [{ field: 'status', op: 'equals', value: 'qualified' }, { field: 'score', op: 'gte', value: 90 }];
    expect(conditionsHold(both, facts)).toBe(false);
    expect(conditionsHold([{ field: 'score', op: 'gte', value: 0 }], { score: null })).toBe(false);
    expect(conditionsHold([{ field: 'channel', op: 'equals', value: 'sms' }], {})).toBe(false);
  });

  it('refuses conditions that cannot work for the trigger', () => {
    expect(conditionProblem('lead_status_changed', { field: 'status', op: 'equals', value: 'qualified' })).toBeNull();
    expect(conditionProblem('lead_status_changed', { field: 'cycle', op: 'equals', value: 1 })?.field).toBe('field');
    expect(conditionProblem('lead_created', { field: 'status', op: 'gte', value: 3 })?.field).toBe('value');
    expect(conditionProblem('lead_created', { field: 'score', op: 'gte', value: '3' })?.field).toBe('value');
    expect(conditionProblem('lead_created', { field: 'channel', op: 'in', value: 'sms' })?.field).toBe('value');
    expect(conditionProblem('lead_created', { field: 'channel', op: 'equals', value: ['sms'] })?.field).toBe('value');
  });
});
