import { getMetadataStorage } from 'class-validator';

// class-transformer keeps its @Type() registry in a module its package exports no types for.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  defaultMetadataStorage: { findTypeMetadata(target: Function, property: string): { typeFunction(): unknown } | undefined };
};

type Constructor = new (...args: never[]) => object;
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonValue = Json;

const PATTERN_CANDIDATES = [
  'x', 'example.com', 'US', 'ab', '+15555550100', 'Abc-123', 'abc', '2026-01-01', '0123456789abcdef0123456789abcdef01234567',
  'a'.repeat(64), '0'.repeat(64), 'https://example.com', 'red', '#aabbcc', 'new', 'email', 'first_name',
];

/**
 * A body that class-validator accepts (as far as its rules can be read) for a DTO: the isolation test sends it
 * so a request passes validation and reaches the account check; the fuzz test breaks it. `uuid(name)` picks the
 * id a field named `name` gets.
 */
export function validBody(dto: Constructor, uuid: (field: string) => string, depth = 0): Record<string, Json> {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, typeof metadatas>();
  for (const metadata of metadatas) byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
  const body: Record<string, Json> = {};
  for (const [property, rules] of byProperty) {
    const value = valueFor(dto, property, rules, uuid, depth);
    if (value !== undefined) body[property] = value;
  }
  return identifierValue(body, uuid);
}

/** An identifier (`{kind, value}`) is valid only with a value of its kind: a device id is a UUID, and so on. */
function identifierValue(body: Record<string, Json>, uuid: (field: string) => string): Record<string, Json> {
  if (typeof body['kind'] !== 'string' || typeof body['value'] !== 'string') return body;
  const values: Record<string, () => string> = {
    device: () => uuid('deviceId'), email: () => 'someone@example.com', phone: () => '+15555550100', external_user: () => 'user-1',
  };
  const value = values[body['kind']];
  return value ? { ...body, value: value() } : body;
}

interface Rule {
  type: string;
  name?: string;
  constraints?: unknown[];
  each?: boolean;
}

function valueFor(dto: Constructor, property: string, rules: Rule[], uuid: (field: string) => string, depth: number): Json | undefined {
  const named = (name: string) => rules.find((rule) => rule.name === name);
  const isArray = rules.some((rule) => rule.name === 'isArray' || rule.each);
  let one: Json | undefined;
  if (rules.some((rule) => rule.type === 'nestedValidation')) {
    const nested = defaultMetadataStorage.findTypeMetadata(dto, property)?.typeFunction() as Constructor | undefined;
    one = nested && depth < 3 ? validBody(nested, uuid, depth + 1) : {};
  } else if (named('isUuid')) one = uuid(property);
  else if (named('isIn')) one = ((named('isIn')!.constraints?.[0] as Json[]) ?? [])[0] ?? null;
  else if (named('isEnum')) one = Object.values(named('isEnum')!.constraints?.[0] as Record<string, Json>)[0] ?? null;
  else if (named('isBoolean')) one = true;
  else if (named('isInt') || named('isNumber') || named('min') || named('max')) {
    const min = named('min')?.constraints?.[0] as number | undefined;
    const max = named('max')?.constraints?.[0] as number | undefined;
    one = min ?? (max !== undefined ? Math.min(1, max) : 1);
  } else if (named('isEmail')) one = 'someone@example.com';
  else if (named('isIso8601') || named('isDateString')) one = new Date(Date.now() + 86_400_000).toISOString();
  else if (named('isUrl')) one = 'https://example.com/hook';
  else if (named('isPhoneNumber') || named('isE164PhoneNumber')) one = '+15555550100';
  else if (named('isTimeZone')) one = 'UTC';
  else if (named('isChannelSecret')) one = undefined; // the first kind is a web chat widget, which takes none
  else if (named('matches')) {
    const pattern = named('matches')!.constraints?.[0] as RegExp;
    // A field whose pattern takes a UUID ("a member id or none") names a record: it gets an id.
    one = pattern.test('00000000-0000-4000-8000-000000000000') && !pattern.test('x') ? uuid(property)
      : PATTERN_CANDIDATES.find((candidate) => pattern.test(candidate)) ?? 'x';
  } else if (named('isObject')) one = {};
  else if (/email/i.test(property)) one = 'someone@example.com';
  else if (/phone/i.test(property)) one = '+15555550100';
  else {
    const length = named('isLength')?.constraints?.[0] as number | undefined;
    one = 'x'.repeat(Math.max(1, length ?? 1));
  }
  if (one === undefined) return undefined;
  return isArray ? [one] : one;
}

/**
 * Properties validated only when another field says so (@ValidateIf): a wrong value there is legitimately
 * ignored in some bodies, so the fuzz does not count on it being refused.
 */
export function conditionalProperties(dto: Constructor): Set<string> {
  return new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)
    .filter((metadata) => metadata.type === 'conditionalValidation' && metadata.name !== 'isOptional')
    .map((metadata) => metadata.propertyName));
}

/** Properties a DTO cannot do without (no @IsOptional()): a query keeps these and varies one other. */
export function requiredProperties(dto: Constructor): Set<string> {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const optional = new Set(metadatas.filter((m) => m.type === 'conditionalValidation').map((m) => m.propertyName));
  return new Set(metadatas.map((m) => m.propertyName).filter((name) => !optional.has(name)));
}

/** A query string for a body-like object: arrays as repeated keys, objects as JSON. */
export function queryString(values: Record<string, Json>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
