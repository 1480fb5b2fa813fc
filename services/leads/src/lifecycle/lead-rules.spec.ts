import {
  decideAiScore, decideAssignment, decideFollowUp, decideManualScore, decideStatusChange, isFinal, type LeadState,
} from './lead-rules';

const id = '01900000-0000-7000-8000-000000000001';
const open: LeadState = { id, status: 'new', active: true, agentId: null };
const lost: LeadState = { id, status: 'lost', active: false, agentId: 'a' };

describe('lead status rules', () => {
  it('knows Converted, Lost and Archived as the final statuses', () => {
    expect(['new', 'contacted', 'qualifying', 'qualified', 'follow_up', 'converted', 'lost', 'archived'].filter((s) => isFinal(s as never)))
      .toEqual(['converted', 'lost', 'archived']);
  });

  it('moves an active lead to any other status, and a final one makes it inactive', () => {
    expect(decideStatusChange(open, 'contacted')).toEqual({ kind: 'apply', change: { from: 'new', to: 'contacted', active: true } });
    expect(decideStatusChange({ ...open, status: 'qualified' }, 'new')).toEqual({ kind: 'apply', change: { from: 'qualified', to: 'new', active: true } });
    expect(decideStatusChange(open, 'converted')).toEqual({ kind: 'apply', change: { from: 'new', to: 'converted', active: false } });
    expect(decideStatusChange(open, 'archived')).toMatchObject({ change: { active: false } });
  });

  it('leaves a lead already in the status unchanged', () => {
    expect(decideStatusChange(open, 'new')).toEqual({ kind: 'unchanged', reason: `lead ${id} is already New` });
  });

  it('refuses any status change on an inactive lead, saying why', () => {
    const decision = decideStatusChange(lost, 'new');
    expect(decision).toEqual({ kind: 'refused', reason: `lead ${id} is Lost, a final status: it is inactive, so changing its status is not allowed` });
    expect(decideStatusChange(lost, 'lost').kind).toBe('refused');
  });
});

describe('assignment rules', () => {
  it('assigns, reassigns and unassigns an active lead', () => {
    expect(decideAssignment(open, 'm1')).toEqual({ kind: 'apply', change: { from: null, to: 'm1' } });
    expect(decideAssignment({ ...open, agentId: 'm1' }, 'm2')).toEqual({ kind: 'apply', change: { from: 'm1', to: 'm2' } });
    expect(decideAssignment({ ...open, agentId: 'm1' }, null)).toEqual({ kind: 'apply', change: { from: 'm1', to: null } });
  });

  it('sees no change in assigning the same member again or unassigning nobody', () => {
    expect(decideAssignment({ ...open, agentId: 'm1' }, 'm1').kind).toBe('unchanged');
    expect(decideAssignment(open, null).kind).toBe('unchanged');
  });

  it('refuses assigning and unassigning an inactive lead', () => {
    expect(decideAssignment(lost, 'm2')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('assigning it') });
    expect(decideAssignment(lost, null)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('unassigning it') });
  });
});

describe('follow-up rules', () => {
  it('allows follow-ups only on active leads', () => {
    expect(decideFollowUp(open).kind).toBe('apply');
    expect(decideFollowUp(lost)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('scheduling a follow-up') });
  });
});

describe('score rules', () => {
  const scored = { ...open, score: 40, scoreSource: 'ai' as const };

  it('lets the AI rescore its own score', () => {
    expect(decideAiScore(scored, 70)).toEqual({ kind: 'apply', change: { from: 40, to: 70, source: 'ai' } });
    expect(decideAiScore({ ...scored, score: null, scoreSource: null }, 10)).toEqual({ kind: 'apply', change: { from: null, to: 10, source: 'ai' } });
    expect(decideAiScore(scored, 40).kind).toBe('unchanged');
  });

  it('never lets the AI overwrite a hand-set score', () => {
    expect(decideAiScore({ ...scored, scoreSource: 'manual' }, 90)).toMatchObject({ kind: 'unchanged', reason: expect.stringContaining('by hand') });
  });

  it('lets a member set the score by hand, over the AI\'s', () => {
    expect(decideManualScore(scored, 85)).toEqual({ kind: 'apply', change: { from: 40, to: 85, source: 'manual' } });
    expect(decideManualScore(scored, 40)).toEqual({ kind: 'apply', change: { from: 40, to: 40, source: 'manual' } });
    expect(decideManualScore({ ...scored, scoreSource: 'manual' }, 40).kind).toBe('unchanged');
  });

  it('changes no score of an inactive lead', () => {
    expect(decideManualScore({ ...lost, score: 1, scoreSource: 'ai' }, 50).kind).toBe('refused');
    expect(decideAiScore({ ...lost, score: 1, scoreSource: 'ai' }, 50).kind).toBe('unchanged');
  });
});
