import { IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { AccountScoped } from './common';
import { defineEvent } from './event-definition';

export const BROADCAST_DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;
export type BroadcastDeliveryStatus = (typeof BROADCAST_DELIVERY_STATUSES)[number];

/** Published by the external broadcast system; the leads timeline shows it. */
export class BroadcastDeliveryUpdated extends AccountScoped {
  @IsString() @MaxLength(200) broadcastId!: string;
  @IsIn(BROADCAST_DELIVERY_STATUSES) status!: BroadcastDeliveryStatus;
  @IsOptional() @IsUUID() contactId?: string | null;
  @IsOptional() @IsEmail() email?: string | null;
  @IsOptional() @IsString() @MaxLength(32) phone?: string | null;
  @IsOptional() @IsString() @MaxLength(200) campaign?: string | null;
  @IsOptional() @IsString() @MaxLength(200) template?: string | null;
  @IsOptional() @IsString() @MaxLength(2000) error?: string | null;
  @IsISO8601() occurredAt!: string;
}

export const BroadcastDeliveryUpdatedEvent = defineEvent('BROADCASTS', 1, 'delivery.updated',
  BroadcastDeliveryUpdated, 'A broadcast message to a contact was sent, delivered, read or failed.', 'broadcasts');
