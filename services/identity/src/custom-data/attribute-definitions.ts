import type { FieldProblem } from '@leadline/platform';
import type { EntityManager } from 'typeorm';
import { badRequest } from '../contacts/request-problems';
import { checkAttributeValue, type AttributeType, type AttributeValue } from './attribute-value';
import type { AttributeInputDto } from './custom-data.dto';

export interface CheckedAttribute {
  key: string;
  type: AttributeType;
  /** null: remove it. */
  value: AttributeValue | null;
}

/**
 * Checks each value against its type and the type its key already has in the account; a key's first use
 * defines its type (kept in attribute_definitions, so reports and filters can rely on it). 400 names every
 * problem, as `<field>[i].value` or `<field>[i].type`.
 */
export async function checkAttributes(
  tx: EntityManager, accountId: string, inputs: readonly AttributeInputDto[], namespace: 'contact' | 'company', field: string,
): Promise<CheckedAttribute[]> {
  const problems: FieldProblem[] = [];
  const checked: CheckedAttribute[] = [];
  inputs.forEach((input, index) => {
    if (input.value === null) return void checked.push({ key: input.key, type: input.type, value: null });
    const result = checkAttributeValue(input.type, input.value);
    if (result.ok) checked.push({ key: input.key, type: input.type, value: result.value });
    else problems.push({ field: `${field}[${index}].value`, reason: `${input.key} ${result.reason}` });
  });
  if (problems.length > 0) throw badRequest(problems);
  const keys = checked.map((a) => definitionKey(namespace, a.key));
  await tx.query(
    `INSERT INTO attribute_definitions (account_id, key, type)
     SELECT $1, k, t FROM unnest($2::text[], $3::text[]) AS d(k, t) ON CONFLICT DO NOTHING`,
    [accountId, keys, checked.map((a) => a.type)],
  );
  const rows: { key: string; type: AttributeType }[] = await tx.query(
    `SELECT key, type FROM attribute_definitions WHERE account_id = $1 AND key = ANY($2::text[])`, [accountId, keys],
  );
  const defined = new Map(rows.map((row) => [row.key, row.type]));
  checked.forEach((attribute, index) => {
    const type = defined.get(definitionKey(namespace, attribute.key));
    if (type !== attribute.type) {
      problems.push({ field: `${field}[${index}].type`, reason: `${attribute.key} is a ${type} attribute in this account: send a ${type}` });
    }
  });
  if (problems.length > 0) throw badRequest(problems);
  return checked;
}

function definitionKey(namespace: 'contact' | 'company', key: string): string {
  return namespace === 'contact' ? key : `company.${key}`;
}
