import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { DuplicateCandidate } from './duplicate-candidate';

/** A Febrl row: rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id. */
type FebrlRow = Record<string, string>;

const optional = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value.trim() : undefined);

/** Maps a Febrl row to the scorer's contact; Febrl has no e-mails or phones. */
export function febrlRowToCandidate(row: FebrlRow): DuplicateCandidate {
  if (!row.rec_id) throw new Error('Febrl row without rec_id');
  return {
    id: row.rec_id,
    firstName: optional(row.given_name),
    lastName: optional(row.surname),
    emails: [],
    phones: [],
    streetNumber: optional(row.street_number),
    // address_2 is a building or property name ("lakefront retrmnt vlge"); the contact model has
    // no such line and the street itself is the stronger evidence, so it is left out.
    street: optional(row.address_1),
    locality: optional(row.suburb),
    postalCode: optional(row.postcode),
    state: optional(row.state),
    dateOfBirth: optional(row.date_of_birth),
    nationalId: optional(row.soc_sec_id),
  };
}

/** Parses a Febrl CSV ("rec_id, given_name, ..." with ", " between values). */
export function parseFebrl(text: string): DuplicateCandidate[] {
  const rows = parse(text, {
    columns: (header: string[]) => header.map((h) => h.trim()),
    trim: true,
    skip_empty_lines: true,
  }) as FebrlRow[];
  return rows.map(febrlRowToCandidate);
}

export function loadFebrl(path: string): DuplicateCandidate[] {
  return parseFebrl(readFileSync(path, 'utf8'));
}

/** The person a Febrl record stands for: "rec-12-org" and "rec-12-dup-3" are both person "12". */
export function febrlEntity(recId: string): string {
  const match = /^rec-(\d+)-/.exec(recId);
  if (!match) throw new Error(`not a Febrl rec_id: ${recId}`);
  return match[1];
}
