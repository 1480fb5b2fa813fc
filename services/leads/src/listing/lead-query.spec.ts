import { countsSql, decodeCursor, encodeCursor, filterSql, likePattern, pageSql, searchTerm } from './lead-query';

const account = '01900000-0000-7000-8000-000000000001';
const lead = '01900000-0000-7000-8000-0000000000aa';

describe('lead list query', () => {
  it('always scopes to the account, and adds one clause per filter given', () => {
    expect(filterSql(account, {})).toEqual({ sql: 'account_id = $1', params: [account] });
    const all = filterSql(account, {
      status: ['new', 'lost'], active: false, agentId: 'none', scoreMin: 10, scoreMax: 90, createdFrom: '2026-01-01T00:00:00Z',
      createdTo: '2026-02-01T00:00:00Z', channel: ['sms'], q: ' Smith ',
    });
    expect(all.sql).toBe('account_id = $1 AND status = ANY($2::text[]) AND active = $3 AND agent_id IS NULL AND score >= $4'
      + ' AND score <= $5 AND created_at >= $6::timestamptz AND created_at < $7::timestamptz AND channel = ANY($8::text[])'
      + ' AND search_text LIKE $9');
    expect(all.params).toEqual([account, ['new', 'lost'], false, 10, 90, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', ['sms'], '%smith%']);
  });

  it('searches the text literally, wildcards included', () => {
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('searches a phone typed with spaces, dashes or brackets by its digits, and other text as written', () => {
    expect(searchTerm('+1 (555) 010-0007')).toBe('+15550100007');
    expect(searchTerm(' 555-010 ')).toBe('555010');
    expect(filterSql(account, { q: '(555) 010-0007' }).params).toEqual([account, '%5550100007%']);
    expect(searchTerm('Smith-Jones')).toBe('Smith-Jones');
    expect(searchTerm('12')).toBe('12');
    expect(searchTerm('john.1000@')).toBe('john.1000@');
  });

  it('pages by keyset after the cursor, in the sort\'s direction', () => {
    const cursor = decodeCursor(encodeCursor({ sort: 'score', order: 'asc', key: '47', id: lead }), 'score', 'asc');
    const page = pageSql(account, { agentId: lead }, { sort: 'score', order: 'asc', limit: 51, cursor });
    expect(page.sql).toContain('AND (coalesce(score, -1), id) > ($3::int, $4::uuid)');
    expect(page.sql).toContain('ORDER BY coalesce(score, -1) ASC, id ASC LIMIT $5');
    expect(page.sql).toContain('ORDER BY page.sort_value ASC, page.id ASC');
    expect(page.params).toEqual([account, lead, '47', lead, 51]);
    expect(pageSql(account, {}, { sort: 'createdAt', order: 'desc', limit: null }).sql).not.toContain('LIMIT');
  });

  it('refuses a cursor that is damaged or was made for another sort', () => {
    expect(() => decodeCursor('nonsense', 'createdAt', 'desc')).toThrow('cursor: is not a cursor');
    const made = encodeCursor({ sort: 'createdAt', order: 'desc', key: '2026-01-01 00:00:00+00', id: lead });
    expect(() => decodeCursor(made, 'score', 'desc')).toThrow('was made for sort=createdAt&order=desc');
    expect(() => decodeCursor(encodeCursor({ sort: 'score', order: 'desc', key: 'x', id: lead }), 'score', 'desc')).toThrow('damaged');
  });

  it('counts per status without the status filter, so every status shows its count', () => {
    expect(countsSql(account, { status: ['new'], active: true }).sql)
      .toBe('SELECT status, count(*)::int AS count FROM leads WHERE account_id = $1 AND active = $2 GROUP BY status');
  });
});
