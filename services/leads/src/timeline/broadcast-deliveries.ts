import { BroadcastDeliveryUpdatedEvent, type BroadcastDeliveryUpdated } from '@leadline/contracts';
import { OnEvent, type ReceivedEvent } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ContactDirectory } from '../contacts/contact-directory';
import { normalizeEmail, normalizePhone } from '../leads/contact-text';
import { Lead } from '../leads/lead.entity';
import type { BroadcastDeliveryView } from './timeline.dto';

/**
 * Broadcast messages (sent, delivered, read, failed, with campaign and template) in the contact's timeline and
 * its current lead's. A delivery for someone not known yet is kept under its email or phone, never dropped.
 */
@Injectable()
export class BroadcastDeliveries {
  constructor(private readonly contacts: ContactDirectory) {}

  @OnEvent(BroadcastDeliveryUpdatedEvent, { purpose: 'record-broadcast-delivery' })
  async onDeliveryUpdated(event: ReceivedEvent<BroadcastDeliveryUpdated>, tx: EntityManager): Promise<void> {
    await this.record(tx, event.data);
  }

  /** Throws for a delivery that names nobody: on the event path that dead-letters it with the cause. */
  async record(tx: EntityManager, delivery: BroadcastDeliveryUpdated): Promise<BroadcastDeliveryView> {
    const recipient = recipientOf(delivery);
    const contactId = await this.contactOf(tx, delivery);
    if (contactId === 'erased') return { id: null, contactId: null, leadId: null, recorded: false };
    const lead = contactId
      ? await tx.findOne(Lead, { where: { accountId: delivery.accountId, contactId }, order: { active: 'DESC', createdAt: 'DESC' } })
      : null;
    const id = uuidv7();
    const inserted = await tx.query(
      `INSERT INTO broadcast_deliveries (id, account_id, contact_id, lead_id, broadcast_id, recipient, status, campaign, template, error, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (account_id, broadcast_id, recipient, status) DO NOTHING RETURNING id`,
      [id, delivery.accountId, contactId, lead?.id ?? null, delivery.broadcastId, recipient, delivery.status,
        delivery.campaign ?? null, delivery.template ?? null, delivery.error ?? null, delivery.occurredAt],
    ) as unknown[];
    return { id, contactId, leadId: lead?.id ?? null, recorded: inserted.length > 0 };
  }

  /** The contact now (a merged one's survivor), `erased` for a forgotten one (nothing of it is kept), or null when unknown. */
  private async contactOf(tx: EntityManager, delivery: BroadcastDeliveryUpdated): Promise<string | 'erased' | null> {
    if (delivery.contactId) {
      const where = await this.contacts.whereabouts(tx, delivery.accountId, delivery.contactId);
      return where.kind === 'here' ? where.contactId : 'erased';
    }
    const found = delivery.email
      ? await this.contacts.findByEmail(tx, delivery.accountId, delivery.email)
      : delivery.phone ? await this.contacts.findByPhone(tx, delivery.accountId, delivery.phone) : null;
    return found?.contactId ?? null;
  }
}

/**
 * Who the delivery went to, as the de-duplication key: the contact id, else the normalized email, else the phone.
 * A delivery naming none of them could never join a timeline, so it is refused rather than kept under a
 * placeholder that unrelated deliveries would share.
 */
export function recipientOf(delivery: Pick<BroadcastDeliveryUpdated, 'contactId' | 'email' | 'phone' | 'broadcastId'>): string {
  if (delivery.contactId) return delivery.contactId;
  if (delivery.email) return normalizeEmail(delivery.email);
  const phone = delivery.phone ? normalizePhone(delivery.phone) : '';
  if (/\d/.test(phone)) return phone;
  throw new Error(`broadcast delivery ${delivery.broadcastId} names no recipient: give contactId, email or phone`);
}
