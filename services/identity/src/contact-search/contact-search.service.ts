import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DataSource, In } from 'typeorm';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { contactListItem } from '../contacts/contact-view';
import { Contact } from '../contacts/contact.entity';
import { normaliseIdentifier } from '../contacts/identifier-values';
import { Identifier } from '../contacts/identifier.entity';
import { badRequest } from '../contacts/request-problems';
import { decodeCursor, encodeCursor } from '../custom-data/page-cursor';
import type { ContactSearchQuery } from './contact-search.dto';
import { prefixPattern } from './name-prefix';
import { nameSearchSql } from './name-search-sql';

const DEFAULT_PAGE = 25;

/**
 * Contacts by email, phone (any format) or name prefix, a page at a time with a keyset cursor. Every filter has
 * an index (identifiers (account_id, kind, value); (account_id, lower(first_name|last_name|first last)
 * text_pattern_ops, id)). Without a name, newest first (the id is a UUIDv7); with one, in the order of the name
 * that matched (name-search-sql.ts), so a page costs the same at a million contacts however common the prefix.
 */
@Injectable()
export class ContactSearchService {
  constructor(private readonly dataSource: DataSource, private readonly settings: AccountSettingsService) {}

  async search(accountId: string, query: ContactSearchQuery) {
    const limit = query.limit ? Number(query.limit) : DEFAULT_PAGE;
    const after = decodeCursor(query.cursor, query.name === undefined ? 1 : 2);
    if (after !== undefined && !isUUID(after[after.length - 1])) throw badRequest([{ field: 'cursor', reason: 'is not a cursor this API gave out' }]);
    const params: unknown[] = [accountId];
    const where = ['c.account_id = $1', 'c.merged_into_id IS NULL'];
    for (const [kind, raw] of [['email', query.email], ['phone', query.phone]] as const) {
      if (raw === undefined) continue;
      params.push(await this.normalised(accountId, kind, raw));
      where.push(`c.id IN (SELECT contact_id FROM identifiers WHERE account_id = $1 AND kind = '${kind}' AND value = $${params.length})`);
    }
    if (query.name !== undefined) {
      const { sql, params: all } = nameSearchSql(where, params, prefixPattern(query.name), query.name.trim().includes(' '),
        after as [string, string] | undefined, limit + 1);
      const rows: { id: string; name: string }[] = await this.dataSource.query(sql, all);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { contacts: await this.load(page.map((r) => r.id)), nextCursor: rows.length > limit && last ? encodeCursor([last.name, last.id]) : null };
    }
    if (after) {
      params.push(after[0]);
      where.push(`c.id < $${params.length}`);
    }
    params.push(limit + 1);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT c.id FROM contacts c WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT $${params.length}`, params,
    );
    const ids = rows.slice(0, limit).map((row) => row.id);
    return { contacts: await this.load(ids), nextCursor: rows.length > limit ? encodeCursor([ids[ids.length - 1]!]) : null };
  }

  private async normalised(accountId: string, kind: 'email' | 'phone', raw: string): Promise<string> {
    const region = (await this.settings.forAccount(this.dataSource.manager, accountId)).defaultPhoneRegion;
    const result = normaliseIdentifier(kind, raw, region);
    if (!result.ok) throw badRequest([{ field: kind, reason: result.reason }]);
    return result.value;
  }

  private async load(ids: string[]) {
    if (ids.length === 0) return [];
    const manager = this.dataSource.manager;
    const contacts = new Map((await manager.findBy(Contact, { id: In(ids) })).map((c) => [c.id, c]));
    const identifiers = await manager.find(Identifier, { where: { contactId: In(ids) }, order: { createdAt: 'ASC' } });
    return ids.map((id) => contactListItem(contacts.get(id)!, identifiers.filter((i) => i.contactId === id)));
  }
}
