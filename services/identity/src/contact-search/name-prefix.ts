/** A LIKE pattern matching values that start with `prefix` as typed: its own %, _ and \ match only themselves. */
export function prefixPattern(prefix: string): string {
  return `${prefix.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
