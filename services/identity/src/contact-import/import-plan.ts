import type { IdentifierKind } from '@leadline/contracts';
import type { ImportIdentifier, ImportRow, RejectedRow } from './import-file';

/**
 * Deciding, for every readable row of an import, which contact it is: pure, in file order. A row whose
 * identifiers all point nowhere makes a new contact; one that points at exactly one contact (stored, or made by
 * an earlier row of the file) is matched to it; one that points at two is refused, as merging is a deliberate
 * act. Exact identifiers only: fuzzy duplicates are the duplicate scorer's business.
 */
export interface PlannedRow {
  row: ImportRow;
  /** A contact of the account, or the key of a contact this import creates (`new:<n>`). */
  target: string;
  outcome: 'created' | 'matched';
}

export interface ImportPlan {
  rows: PlannedRow[];
  rejected: RejectedRow[];
  /** How many new contacts the import makes: `new:0` .. `new:<n-1>`. */
  newContacts: number;
}

export const identifierKey = (i: { kind: IdentifierKind; value: string }): string => `${i.kind}:${i.value}`;

/** `holders`: identifier key -> contact id, for the file's identifiers that contacts hold already. */
export function planImport(rows: readonly ImportRow[], holders: ReadonlyMap<string, string>): ImportPlan {
  const owner = new Map(holders);
  const plan: ImportPlan = { rows: [], rejected: [], newContacts: 0 };
  for (const row of rows) {
    const targets = [...new Set(row.identifiers.map((i) => owner.get(identifierKey(i))).filter((t): t is string => t !== undefined))];
    if (targets.length > 1) {
      plan.rejected.push({ line: row.line, reason: conflictReason(row.identifiers, owner, targets) });
      continue;
    }
    const target = targets[0] ?? `new:${plan.newContacts++}`;
    for (const identifier of row.identifiers) owner.set(identifierKey(identifier), target);
    plan.rows.push({ row, target, outcome: targets.length === 0 ? 'created' : 'matched' });
  }
  return plan;
}

function conflictReason(identifiers: readonly ImportIdentifier[], owner: ReadonlyMap<string, string>, targets: string[]): string {
  const [a, b] = targets.map((target) => identifiers.find((i) => owner.get(identifierKey(i)) === target)!);
  const name = (target: string): string => (target.startsWith('new:') ? 'a contact an earlier row creates' : `contact ${target}`);
  return `${a!.kind} ${a!.value} belongs to ${name(targets[0]!)} but ${b!.kind} ${b!.value} to ${name(targets[1]!)}: merge them, or fix the row`;
}
