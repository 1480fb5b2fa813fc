/**
 * Field precedence: whose value of a contact field wins.
 *
 * API (pure, no I/O; the caller saves the contact afterwards):
 * - `FieldSource`: `'member'` (a team member's edit by hand) > `'system'` (the business's systems: CSV import,
 *   /v1/identify, API-key callers of the contacts API) > `'ai'` (what extraction captured from a conversation).
 * - `applyFieldValues(contact, values, source)`: writes each given value into `contact` unless the field's
 *   current value came from a higher-ranked source; `'ai'` values only ever fill blanks. `undefined` = not
 *   given (left alone); `null` or an empty string = clear it (never by `'ai'`). Records the winner's source in
 *   `contact.fieldSources` and returns the fields whose value changed (publish `contact.updated` if any).
 * - `fillBlanksFrom(survivor, other)`: merge rule: the survivor keeps its values and takes the other's only
 *   where it has none, carrying over the other's source. Returns the fields it filled.
 * - `sourceOf(contact, field)`: the recorded source; a value stored before sources were kept counts as `'ai'`.
 *
 * Sources live in the `contacts.field_sources` jsonb column (`Contact.fieldSources`).
 */

export const PROFILE_FIELDS = ['firstName', 'lastName', 'address', 'postalCode'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export const FIELD_SOURCES = ['member', 'system', 'ai'] as const;
export type FieldSource = (typeof FIELD_SOURCES)[number];
export type FieldSources = Partial<Record<ProfileField, FieldSource>>;

export type ProfileValues = Partial<Record<ProfileField, string | null | undefined>>;

/** The part of a contact precedence works on. */
export type PrecedenceSubject = Record<ProfileField, string | null> & { fieldSources: FieldSources };

const RANK: Record<FieldSource, number> = { member: 3, system: 2, ai: 1 };

export function sourceOf(contact: PrecedenceSubject, field: ProfileField): FieldSource | undefined {
  if (contact[field] === null) return undefined;
  // Before sources were recorded only extraction wrote contact fields, so an unlabelled value is the AI's.
  return contact.fieldSources?.[field] ?? 'ai';
}

export function applyFieldValues(contact: PrecedenceSubject, values: ProfileValues, source: FieldSource): ProfileField[] {
  const changed: ProfileField[] = [];
  contact.fieldSources = { ...(contact.fieldSources ?? {}) };
  for (const field of PROFILE_FIELDS) {
    const given = values[field];
    if (given === undefined) continue;
    const next = clean(given);
    if (!mayWrite(contact, field, next, source)) continue;
    if (contact[field] !== next) changed.push(field);
    contact[field] = next;
    if (next === null) delete contact.fieldSources[field];
    else contact.fieldSources[field] = source;
  }
  return changed;
}

export function fillBlanksFrom(survivor: PrecedenceSubject, other: PrecedenceSubject): ProfileField[] {
  const filled: ProfileField[] = [];
  survivor.fieldSources = { ...(survivor.fieldSources ?? {}) };
  for (const field of PROFILE_FIELDS) {
    const value = other[field];
    if (survivor[field] !== null || value === null) continue;
    survivor[field] = value;
    survivor.fieldSources[field] = sourceOf(other, field)!;
    filled.push(field);
  }
  return filled;
}

function mayWrite(contact: PrecedenceSubject, field: ProfileField, next: string | null, source: FieldSource): boolean {
  const current = sourceOf(contact, field);
  if (current === undefined) return next !== null; // a blank: anyone may fill it, clearing it again changes nothing
  if (source === 'ai') return false; // AI values only ever fill blanks
  return RANK[source] >= RANK[current];
}

function clean(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
