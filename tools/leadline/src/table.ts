/** A plain aligned text table: what an operator reads in a terminal (use --json for scripts). */
export function formatTable<T extends object>(rows: T[], columns: { header: string; value: (row: T) => string | number }[]): string {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n') + '\n';
}
