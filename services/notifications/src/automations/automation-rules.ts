/** What can start an automation, and the facts of each trigger its conditions may test. */
export const TRIGGER_FIELDS = {
  /** `identity.v1.contact.summary_created`: every idle cycle of a linked conversation. */
  contact_summary_created: { channel: 'text', cycle: 'number', intent: 'text', urgency: 'text' },
  /** `leads.v1.lead.status_changed` */
  lead_status_changed: { status: 'text', fromStatus: 'text', active: 'boolean', channel: 'text', score: 'number' },
  /** `leads.v1.lead.created` (any reason) */
  lead_created: { status: 'text', reason: 'text', channel: 'text', score: 'number' },
  /** `leads.v1.lead.scored` */
  lead_scored: { score: 'number', source: 'text', channel: 'text' },
  /** `identity.v1.contact.matched` */
  contact_matched: { channel: 'text', matchedBy: 'text' },
} as const satisfies Record<string, Record<string, 'text' | 'number' | 'boolean'>>;

export type AutomationTrigger = keyof typeof TRIGGER_FIELDS;
export const AUTOMATION_TRIGGERS = Object.keys(TRIGGER_FIELDS) as AutomationTrigger[];

export const CONDITION_OPERATORS = ['equals', 'not_equals', 'in', 'gte', 'lte', 'gt', 'lt'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];
const NUMERIC_OPERATORS: readonly ConditionOperator[] = ['gte', 'lte', 'gt', 'lt'];

export type FactValue = string | number | boolean | null;
export type Facts = Record<string, FactValue>;

export interface Condition {
  field: string;
  op: ConditionOperator;
  value: string | number | boolean | (string | number)[];
}

export const ACTION_TYPES = ['notify', 'webhook'] as const;
export type AutomationActionType = (typeof ACTION_TYPES)[number];

export interface AutomationAction {
  type: AutomationActionType;
  /** notify: the members told. */
  memberIds?: string[];
  /** webhook: the endpoint called. */
  endpointId?: string;
}

/** Why a condition cannot work for its trigger, or null when it is sound. */
export function conditionProblem(trigger: AutomationTrigger, condition: Condition): { field: string; reason: string } | null {
  const fields: Record<string, string> = TRIGGER_FIELDS[trigger];
  const type = fields[condition.field];
  if (!isPlainValue(condition.value)) {
    return { field: 'value', reason: 'value must be a text, a number, a boolean, or (for in) a list of texts and numbers' };
  }
  if (!type) {
    return { field: 'field', reason: `${trigger} has no field "${condition.field}"; use one of ${Object.keys(fields).join(', ')}` };
  }
  if (NUMERIC_OPERATORS.includes(condition.op) && (type !== 'number' || typeof condition.value !== 'number')) {
    return { field: 'value', reason: `${condition.op} compares numbers: "${condition.field}" must be a number field and value a number` };
  }
  if (condition.op === 'in' && !Array.isArray(condition.value)) return { field: 'value', reason: 'in needs a list of values' };
  if (condition.op !== 'in' && Array.isArray(condition.value)) return { field: 'value', reason: `${condition.op} needs a single value` };
  return null;
}

function isPlainValue(value: unknown): boolean {
  const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
  return scalar(value) || (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' || typeof v === 'number'));
}

/** All conditions hold (no conditions: always). A fact that is missing never satisfies a comparison. */
export function conditionsHold(conditions: Condition[], facts: Facts): boolean {
  return conditions.every((condition) => holds(condition, facts[condition.field] ?? null));
}

function holds(condition: Condition, fact: FactValue): boolean {
  const { op, value } = condition;
  switch (op) {
    case 'equals': return fact !== null && same(fact, value);
    case 'not_equals': return !same(fact, value);
    case 'in': return fact !== null && Array.isArray(value) && value.some((v) => same(fact, v));
    case 'gte': return typeof fact === 'number' && fact >= Number(value);
    case 'lte': return typeof fact === 'number' && fact <= Number(value);
    case 'gt': return typeof fact === 'number' && fact > Number(value);
    case 'lt': return typeof fact === 'number' && fact < Number(value);
  }
}

/** Text compares case-insensitively ("Qualified" equals "qualified"); numbers and booleans exactly. */
function same(fact: FactValue, value: unknown): boolean {
  if (typeof fact === 'string' && typeof value === 'string') return fact.toLowerCase() === value.toLowerCase();
  return fact === value;
}
