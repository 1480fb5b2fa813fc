import { BadRequestException } from '@nestjs/common';
import { normalizePhone } from '../leads/contact-text';
import type { LeadFilterDto, LeadSort } from './lead-filter.dto';

/** A piece of SQL with its parameters ($1...). */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** The lead columns the API shows, named as in the API. */
export const LEAD_COLUMNS = `id, account_id AS "accountId", contact_id AS "contactId", status, active, reason, score,
  score_source AS "scoreSource", agent_id AS "agentId", channel, conversation_id AS "conversationId",
  conversation_url AS "conversationUrl", summary, display_name AS "displayName", contact, closed_reason AS "closedReason",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const SORT_KEYS: Record<LeadSort, { expr: string; type: 'timestamptz' | 'int' }> = {
  createdAt: { expr: 'created_at', type: 'timestamptz' },
  updatedAt: { expr: 'updated_at', type: 'timestamptz' },
  // Leads without a score sort as -1: below every scored lead, and the score index covers the expression.
  score: { expr: 'coalesce(score, -1)', type: 'int' },
};

/** LIKE treats % and _ as wildcards: a visitor called "50%_off" is found as written. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * What the text filter looks for. Phones are kept as E.164 (`+15550100100`) while people type them with spaces,
 * dashes and brackets, so text made only of phone characters (with at least 3 digits) is searched as its digits.
 */
export function searchTerm(q: string): string {
  const text = q.trim();
  if (/^\+?[\d\s().-]+$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 3) return normalizePhone(text);
  return text;
}

/** The WHERE clause of a filter, always scoped to the account. */
export function filterSql(accountId: string, filter: LeadFilterDto, firstParam = 1): SqlPart {
  const params: unknown[] = [accountId];
  const p = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const clauses = [`account_id = $${firstParam}`];
  if (filter.status?.length) clauses.push(`status = ANY(${p(filter.status)}::text[])`);
  if (filter.active !== undefined) clauses.push(`active = ${p(filter.active)}`);
  if (filter.agentId === 'none') clauses.push('agent_id IS NULL');
  else if (filter.agentId) clauses.push(`agent_id = ${p(filter.agentId)}::uuid`);
  if (filter.scoreMin !== undefined) clauses.push(`score >= ${p(filter.scoreMin)}`);
  if (filter.scoreMax !== undefined) clauses.push(`score <= ${p(filter.scoreMax)}`);
  if (filter.createdFrom) clauses.push(`created_at >= ${p(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo) clauses.push(`created_at < ${p(filter.createdTo)}::timestamptz`);
  if (filter.channel?.length) clauses.push(`channel = ANY(${p(filter.channel)}::text[])`);
  if (filter.q?.trim()) clauses.push(`search_text LIKE ${p(likePattern(searchTerm(filter.q)))}`);
  return { sql: clauses.join(' AND '), params };
}

/** Where a page ends: the sort key of its last lead and its id, for keyset pagination. */
export interface Cursor {
  sort: LeadSort;
  order: 'asc' | 'desc';
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.order, cursor.key, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string, sort: LeadSort, order: 'asc' | 'desc'): Cursor {
  const bad = (reason: string) => new BadRequestException({
    statusCode: 400, error: 'Bad Request', message: `cursor: ${reason}`, fields: [{ field: 'cursor', reason }],
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad('is not a cursor this API gave out: pass the X-Next-Cursor header of the previous page unchanged');
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((part) => typeof part === 'string')) {
    throw bad('is not a cursor this API gave out: pass the X-Next-Cursor header of the previous page unchanged');
  }
  const [cursorSort, cursorOrder, key, id] = parsed as string[];
  if (cursorSort !== sort || cursorOrder !== order) {
    throw bad(`was made for sort=${cursorSort}&order=${cursorOrder}: ask again with the same sort, or without a cursor`);
  }
  if (!/^[0-9a-f-]{36}$/i.test(id!) || (SORT_KEYS[sort].type === 'int' && !/^-?\d+$/.test(key!))) throw bad('is damaged');
  return { sort, order, key: key!, id: id! };
}

export interface PageQuery {
  sort: LeadSort;
  order: 'asc' | 'desc';
  /** Rows to read; null reads every matching lead (the export streams them). */
  limit: number | null;
  cursor?: Cursor;
}

/** Leads in sort order from the cursor on, with their sort key for the next cursor. */
export function pageSql(accountId: string, filter: LeadFilterDto, page: PageQuery, columns = LEAD_COLUMNS): SqlPart {
  const where = filterSql(accountId, filter);
  const { expr, type } = SORT_KEYS[page.sort];
  const direction = page.order === 'asc' ? 'ASC' : 'DESC';
  let keyset = '';
  if (page.cursor) {
    where.params.push(page.cursor.key, page.cursor.id);
    const n = where.params.length;
    keyset = ` AND (${expr}, id) ${page.order === 'asc' ? '>' : '<'} ($${n - 1}::${type}, $${n}::uuid)`;
  }
  if (page.limit === null) {
    return {
      sql: `SELECT ${columns}, (${expr})::text AS "sortKey" FROM leads WHERE ${where.sql}${keyset} ORDER BY ${expr} ${direction}, id ${direction}`,
      params: where.params,
    };
  }
  // The page's ids first, from the index alone where it can; then their rows: a filter that skips many leads
  // (a name nobody in the account has) never reads the table for the ones it skips.
  const limit = `$${where.params.push(page.limit)}`;
  return {
    sql: `WITH page AS (SELECT id, ${expr} AS sort_value FROM leads WHERE ${where.sql}${keyset}
        ORDER BY ${expr} ${direction}, id ${direction} LIMIT ${limit})
      SELECT ${columns}, (page.sort_value)::text AS "sortKey" FROM page JOIN leads USING (id)
      ORDER BY page.sort_value ${direction}, page.id ${direction}`,
    params: where.params,
  };
}

/** Counts per status of the leads a filter matches (the status filter itself is left out, so every tab shows its count). */
export function countsSql(accountId: string, filter: LeadFilterDto): SqlPart {
  const where = filterSql(accountId, { ...filter, status: undefined });
  return { sql: `SELECT status, count(*)::int AS count FROM leads WHERE ${where.sql} GROUP BY status`, params: where.params };
}
