import type { ImportRow } from './import-file';
import { planImport } from './import-plan';

const row = (line: number, ...identifiers: string[]): ImportRow => ({
  line, values: {}, identifiers: identifiers.map((i) => ({ kind: i.includes('@') ? 'email' : 'phone', value: i })),
});

describe('planning an import', () => {
  it('creates a contact for a row nobody is known by, and matches later rows of the file to it', () => {
    const plan = planImport([row(2, 'a@x.co'), row(3, 'a@x.co', '+15550001'), row(4, '+15550001')], new Map());
    expect(plan.rows.map((r) => [r.row.line, r.target, r.outcome])).toEqual([
      [2, 'new:0', 'created'], [3, 'new:0', 'matched'], [4, 'new:0', 'matched']]);
    expect(plan.newContacts).toBe(1);
  });

  it('matches a row to the stored contact holding one of its identifiers', () => {
    const plan = planImport([row(2, 'a@x.co', '+15550001')], new Map([['phone:+15550001', 'C1']]));
    expect(plan.rows[0]).toMatchObject({ target: 'C1', outcome: 'matched' });
    expect(plan.newContacts).toBe(0);
  });

  it('refuses a row whose identifiers point at two contacts, naming both', () => {
    const plan = planImport([row(2, 'b@x.co'), row(3, 'a@x.co', '+15550001'), row(4, 'b@x.co', '+15550001')],
      new Map([['email:a@x.co', 'C1'], ['phone:+15550002', 'C2']]));
    expect(plan.rejected).toEqual([
      { line: 4, reason: 'email b@x.co belongs to a contact an earlier row creates but phone +15550001 to contact C1: merge them, or fix the row' },
    ]);
    expect(plan.rows.map((r) => r.target)).toEqual(['new:0', 'C1']);
  });

  it('creates a contact for every row known only by a name', () => {
    const plan = planImport([row(2), row(3)], new Map());
    expect(plan.rows.map((r) => r.target)).toEqual(['new:0', 'new:1']);
  });
});
