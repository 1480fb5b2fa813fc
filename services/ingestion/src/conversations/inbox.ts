import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InboxQueryDto } from './inbox.dto';

export interface InboxEntry {
  conversationId: string;
  channel: string;
  status: string;
  contactId: string | null;
  originalConversationId: string | null;
  identifiers: unknown[];
  createdAt: Date;
  lastActivityAt: Date;
  lastMessage: { author: string; text: string; sentAt: Date } | null;
}

export interface InboxPage {
  conversations: InboxEntry[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

interface Cursor {
  /** last_activity_at as PostgreSQL printed it: keeps its microseconds, which a JS Date would lose. */
  at: string;
  id: string;
}

const DEFAULT_PAGE = 25;

/** The inbox: newest activity first, keyset pagination (stable while new messages arrive). */
@Injectable()
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  async list(accountId: string, query: InboxQueryDto): Promise<InboxPage> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const params: unknown[] = [accountId];
    const where = ['c.account_id = $1'];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (query.section === 'anonymous') where.push('c.contact_id IS NULL');
    if (query.contactId) add((p) => `c.contact_id = ${p}`, query.contactId);
    if (query.status) add((p) => `c.status = ${p}`, query.status);
    if (query.channel) add((p) => `c.channel = ${p}`, query.channel);
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      params.push(cursor.at, cursor.id);
      where.push(`(c.last_activity_at, c.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await this.dataSource.query(
      `SELECT c.id, c.channel, c.status, c.contact_id, c.original_conversation_id, c.identifiers, c.created_at,
              c.last_activity_at, c.last_activity_at::text AS activity_key, m.author, m.text, m.sent_at
       FROM conversations c
       LEFT JOIN LATERAL (SELECT author, text, sent_at FROM messages WHERE conversation_id = c.id
                          ORDER BY created_at DESC, id DESC LIMIT 1) m ON true
       WHERE ${where.join(' AND ')}
       ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $${params.length}`, params) as InboxRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      conversations: page.map(toEntry),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.activity_key, id: last.id }) : null,
    };
  }
}

interface InboxRow {
  id: string;
  channel: string;
  status: string;
  contact_id: string | null;
  original_conversation_id: string | null;
  identifiers: unknown[];
  created_at: Date;
  last_activity_at: Date;
  activity_key: string;
  author: string | null;
  text: string | null;
  sent_at: Date | null;
}

function toEntry(row: InboxRow): InboxEntry {
  return {
    conversationId: row.id, channel: row.channel, status: row.status, contactId: row.contact_id,
    originalConversationId: row.original_conversation_id, identifiers: row.identifiers, createdAt: row.created_at,
    lastActivityAt: row.last_activity_at,
    lastMessage: row.author !== null ? { author: row.author, text: row.text ?? '', sentAt: row.sent_at! } : null,
  };
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    const timestamp = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;
    if (typeof parsed.at === 'string' && timestamp.test(parsed.at)
      && typeof parsed.id === 'string' && uuid.test(parsed.id)) {
      return { at: parsed.at, id: parsed.id };
    }
  } catch {
    // answered below
  }
  throw new BadRequestException({
    statusCode: 400, error: 'Bad Request', message: 'cursor: is not a cursor this API gave out',
    fields: [{ field: 'cursor', reason: 'must be the nextCursor of a previous page' }],
  });
}
