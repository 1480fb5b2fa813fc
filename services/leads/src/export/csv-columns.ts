/** One lead as the export query reads it. */
export interface ExportRow {
  id: string;
  status: string;
  active: boolean;
  reason: string;
  score: number | null;
  scoreSource: string | null;
  agentId: string | null;
  agentName: string | null;
  contactId: string;
  displayName: string;
  contact: { firstName?: string | null; lastName?: string | null; emails: string[]; phones: string[]; address?: string | null; postalCode?: string | null };
  channel: string | null;
  conversationUrl: string | null;
  summary: string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
}

type Cell = string | number | boolean | null | undefined;

/** The export's columns, in order: the header and how each cell is read. Documented in services/leads/README.md. */
export const CSV_COLUMNS: readonly { header: string; cell: (row: ExportRow) => Cell }[] = [
  { header: 'lead_id', cell: (r) => r.id },
  { header: 'status', cell: (r) => r.status },
  { header: 'active', cell: (r) => r.active },
  { header: 'reason', cell: (r) => r.reason },
  { header: 'score', cell: (r) => r.score },
  { header: 'score_source', cell: (r) => r.scoreSource },
  { header: 'agent_id', cell: (r) => r.agentId },
  { header: 'agent_name', cell: (r) => r.agentName },
  { header: 'contact_id', cell: (r) => r.contactId },
  { header: 'name', cell: (r) => r.displayName },
  { header: 'first_name', cell: (r) => r.contact.firstName },
  { header: 'last_name', cell: (r) => r.contact.lastName },
  { header: 'email', cell: (r) => r.contact.emails[0] },
  { header: 'phone', cell: (r) => r.contact.phones[0] },
  { header: 'other_emails', cell: (r) => r.contact.emails.slice(1).join(';') },
  { header: 'other_phones', cell: (r) => r.contact.phones.slice(1).join(';') },
  { header: 'address', cell: (r) => r.contact.address },
  { header: 'postal_code', cell: (r) => r.contact.postalCode },
  { header: 'channel', cell: (r) => r.channel },
  { header: 'conversation_url', cell: (r) => r.conversationUrl },
  { header: 'summary', cell: (r) => r.summary },
  { header: 'created_at', cell: (r) => iso(r.createdAt) },
  { header: 'updated_at', cell: (r) => iso(r.updatedAt) },
];

function iso(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab/CR) as a formula; a visitor's name or summary
 * could be "=HYPERLINK(...)". Such cells get a leading apostrophe (OWASP's advice); phone numbers like
 * "+15550100" are left as they are.
 */
export function safeCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (/^\+[\d\s]+$/.test(text)) return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function csvRecord(row: ExportRow): string[] {
  return CSV_COLUMNS.map((column) => safeCell(column.cell(row)));
}
