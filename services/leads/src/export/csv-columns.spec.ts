import { CSV_COLUMNS, csvRecord, safeCell, type ExportRow } from './csv-columns';

const row: ExportRow = {
  id: 'l1', status: 'new', active: true, reason: 'new_contact', score: 47, scoreSource: 'ai', agentId: null, agentName: null,
  contactId: 'c1', displayName: 'John Smith',
  contact: { firstName: 'John', lastName: 'Smith', emails: ['john@email.com', 'j@work.com'], phones: ['+15550100'], address: null, postalCode: '90210' },
  channel: 'webchat', conversationUrl: 'http://x/c', summary: '=HYPERLINK("http://evil")', createdAt: new Date('2026-01-02T03:04:05Z'),
  updatedAt: '2026-01-02T03:04:06.000Z',
};

describe('CSV export columns', () => {
  it('writes one cell per documented column, in order', () => {
    const record = csvRecord(row);
    expect(record).toHaveLength(CSV_COLUMNS.length);
    const byHeader = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c.header, record[i]]));
    expect(byHeader).toMatchObject({
      lead_id: 'l1', active: 'true', score: '47', agent_id: '', email: 'john@email.com', other_emails: 'j@work.com',
      phone: '+15550100', postal_code: '90210', created_at: '2026-01-02T03:04:05.000Z', updated_at: '2026-01-02T03:04:06.000Z',
    });
  });

  it('defuses cells a spreadsheet would run as formulas, but keeps phone numbers', () => {
    expect(safeCell('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(safeCell('-2+3')).toBe('\'-2+3');
    expect(safeCell('@SUM(A1)')).toBe('\'@SUM(A1)');
    expect(safeCell('+1 555 0100')).toBe('+1 555 0100');
    expect(safeCell(null)).toBe('');
    expect(safeCell(0)).toBe('0');
  });
});
