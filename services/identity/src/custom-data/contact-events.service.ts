import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AccountSettingsService } from '../account-settings/account-settings.service';
import { Contact } from '../contacts/contact.entity';
import { normaliseIdentifier } from '../contacts/identifier-values';
import { Identifier } from '../contacts/identifier.entity';
import { badRequest } from '../contacts/request-problems';
import type { RecordEventByIdentifierDto, RecordEventDto } from './custom-data.dto';
import { ContactActivity } from './custom-data.entities';
import { decodeCursor, encodeCursor } from './page-cursor';

const MAX_METADATA_BYTES = 8 * 1024;
const DEFAULT_PAGE = 25;

export function activityView(activity: ContactActivity) {
  return {
    id: activity.id, contactId: activity.contactId, name: activity.name, occurredAt: activity.occurredAt.toISOString(),
    metadata: activity.metadata, createdAt: activity.createdAt.toISOString(),
  };
}

/**
 * Events on a contact (page views, sign-ins ...). They are recorded only for a contact: an anonymous visitor
 * has none, so an event for an identifier nobody holds is answered 404 and not kept.
 */
@Injectable()
export class ContactEventsService {
  constructor(private readonly dataSource: DataSource, private readonly settings: AccountSettingsService) {}

  async record(actor: Actor, contactId: string, body: RecordEventDto): Promise<{ created: boolean; event: ReturnType<typeof activityView> }> {
    const contact = await this.dataSource.manager.findOneBy(Contact, { id: contactId, accountId: actor.accountId });
    if (!contact) throw new NotFoundException(`contact ${contactId} not found in this account`);
    return this.insert(actor.accountId, contact.mergedIntoId ?? contact.id, body);
  }

  async recordByIdentifier(actor: Actor, body: RecordEventByIdentifierDto) {
    const manager = this.dataSource.manager;
    const region = (await this.settings.forAccount(manager, actor.accountId)).defaultPhoneRegion;
    const normalised = normaliseIdentifier(body.identifier.kind, body.identifier.value, region);
    if (!normalised.ok) throw badRequest([{ field: 'identifier.value', reason: normalised.reason }]);
    const holder = await manager.findOneBy(Identifier, { accountId: actor.accountId, kind: body.identifier.kind, value: normalised.value });
    if (!holder) {
      throw new NotFoundException(`no contact holds ${body.identifier.kind} ${normalised.value}: the visitor is still anonymous, and events are recorded once they are a lead`);
    }
    return this.insert(actor.accountId, holder.contactId, body);
  }

  async page(accountId: string, contactId: string, cursor: string | undefined, limit = DEFAULT_PAGE) {
    const manager = this.dataSource.manager;
    if (!(await manager.existsBy(Contact, { id: contactId, accountId }))) throw new NotFoundException(`contact ${contactId} not found in this account`);
    const after = decodeCursor(cursor, 2);
    const rows = await manager.createQueryBuilder(ContactActivity, 'e')
      .where('e.contact_id = :contactId AND e.account_id = :accountId', { contactId, accountId })
      .andWhere(after ? '(e.occurred_at, e.id) < (:at, :id)' : 'true', after ? { at: after[0], id: after[1] } : {})
      .orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').take(limit + 1).getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      events: items.map(activityView),
      nextCursor: rows.length > limit && last ? encodeCursor([last.occurredAt.toISOString(), last.id]) : null,
    };
  }

  private async insert(accountId: string, contactId: string, body: RecordEventDto) {
    const metadata = body.metadata ?? {};
    if (Buffer.byteLength(JSON.stringify(metadata)) > MAX_METADATA_BYTES) {
      throw badRequest([{ field: 'metadata', reason: `must be at most ${MAX_METADATA_BYTES} bytes as JSON` }]);
    }
    const id = body.id ?? uuidv7();
    const inserted = await this.dataSource.transaction((tx: EntityManager) => tx.query(
      `INSERT INTO contact_events (account_id, id, contact_id, name, occurred_at, metadata)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, id) DO NOTHING RETURNING id`,
      [accountId, id, contactId, body.name, body.occurredAt ? new Date(body.occurredAt) : new Date(), metadata],
    ) as Promise<unknown[]>);
    const stored = await this.dataSource.manager.findOneByOrFail(ContactActivity, { accountId, id });
    return { created: inserted.length > 0, event: activityView(stored) };
  }
}
