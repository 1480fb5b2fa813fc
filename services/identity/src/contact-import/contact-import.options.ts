export const CONTACT_IMPORT_OPTIONS = Symbol('CONTACT_IMPORT_OPTIONS');

export interface ContactImportOptions {
  /** Rows one file may hold (CONTACT_IMPORT_MAX_ROWS). */
  maxRows: number;
  /** Largest file accepted, in bytes (CONTACT_IMPORT_MAX_BYTES); bigger ones get 413. */
  maxBytes: number;
}
