import type { IdentifierKind } from '@leadline/contracts';
import { parse } from 'csv-parse/sync';
import type { ProfileField, ProfileValues } from '../contacts/field-precedence';
import { normaliseIdentifier } from '../contacts/identifier-values';

/**
 * Reading a contacts CSV. The file is checked whole before anything is stored: unparsable CSV, a wrong
 * header, a row with the wrong number of cells or too many rows reject the whole file with the line and the
 * reason. A readable row with a bad value (an email that is not one) is rejected on its own, with its reason.
 */

type Column = ProfileField | 'email' | 'phone';

/** Header names, compared without case, spaces, "_" or "-". */
const COLUMN_NAMES: Record<string, Column> = {
  firstname: 'firstName', lastname: 'lastName', email: 'email', emails: 'email', phone: 'phone', phones: 'phone',
  address: 'address', postalcode: 'postalCode', postcode: 'postalCode', zip: 'postalCode', zipcode: 'postalCode',
};
export const IMPORT_COLUMNS = 'first_name, last_name, email, phone, address, postal_code';

/** Several emails or phones in one cell are separated by ";". */
const MULTI_VALUE_SEPARATOR = ';';
const MAX_LENGTH: Record<ProfileField, number> = { firstName: 200, lastName: 200, address: 500, postalCode: 20 };

export interface ImportIdentifier {
  kind: IdentifierKind;
  value: string;
}

export interface ImportRow {
  line: number;
  values: ProfileValues;
  identifiers: ImportIdentifier[];
}

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ImportFile {
  rows: ImportRow[];
  rejected: RejectedRow[];
}

/** The whole file is refused: nothing of it is stored. */
export class ImportFileError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}

export function readImportFile(text: string, defaultRegion: string, maxRows: number): ImportFile {
  const records = parseCsv(text);
  if (records.length === 0) throw new ImportFileError(1, `the file is empty: its first line must name the columns (${IMPORT_COLUMNS})`);
  const columns = headerColumns(records[0]!.record);
  if (records.length - 1 > maxRows) {
    throw new ImportFileError(records[maxRows + 1]!.line, `the file has more than ${maxRows} rows: split it into smaller files`);
  }
  const file: ImportFile = { rows: [], rejected: [] };
  for (const { record, line } of records.slice(1)) {
    const row = readRow(record, line, columns, defaultRegion);
    if ('reason' in row) file.rejected.push(row);
    else file.rows.push(row);
  }
  return file;
}

interface CsvRecord {
  record: string[];
  /** Where the record starts (a quoted cell may span lines). */
  line: number;
}

function parseCsv(text: string): CsvRecord[] {
  try {
    const parsed = parse(text, { bom: true, skip_empty_lines: true, info: true, trim: true }) as unknown as { record: string[]; info: { lines: number } }[];
    return parsed.map(({ record, info }) => ({ record, line: info.lines - newlinesIn(record) }));
  } catch (error) {
    const problem = error as { lines?: number; message: string };
    throw new ImportFileError(problem.lines ?? 1, `not readable as CSV: ${problem.message}`);
  }
}

function newlinesIn(record: string[]): number {
  return record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
}

function headerColumns(header: string[]): Column[] {
  const seen = new Set<Column>();
  const columns = header.map((name) => {
    const column = COLUMN_NAMES[name.toLowerCase().replace(/[\s_-]/g, '')];
    if (!column) throw new ImportFileError(1, `unknown column "${name}": the columns are ${IMPORT_COLUMNS}`);
    if (seen.has(column)) throw new ImportFileError(1, `column "${name}" appears twice: give each column once (several emails or phones go in one cell, separated by ";")`);
    seen.add(column);
    return column;
  });
  if (!['firstName', 'lastName', 'email', 'phone'].some((c) => seen.has(c as Column))) {
    throw new ImportFileError(1, 'no name, email or phone column: a contact is known by at least one of them');
  }
  return columns;
}

function readRow(record: string[], line: number, columns: Column[], region: string): ImportRow | RejectedRow {
  const row: ImportRow = { line, values: {}, identifiers: [] };
  for (const [index, column] of columns.entries()) {
    const cell = record[index] ?? '';
    if (cell === '') continue; // an empty cell says nothing: it never clears a stored value
    if (column === 'email' || column === 'phone') {
      for (const raw of cell.split(MULTI_VALUE_SEPARATOR).map((v) => v.trim()).filter(Boolean)) {
        const result = normaliseIdentifier(column, raw, region);
        if (!result.ok) return { line, reason: result.reason };
        row.identifiers.push({ kind: column, value: result.value });
      }
    } else {
      if (cell.length > MAX_LENGTH[column]) return { line, reason: `${column} is longer than ${MAX_LENGTH[column]} characters` };
      row.values[column] = cell;
    }
  }
  if (!row.values.firstName && !row.values.lastName && row.identifiers.length === 0) {
    return { line, reason: 'nothing to know the contact by: give a name, an email or a phone' };
  }
  return row;
}
