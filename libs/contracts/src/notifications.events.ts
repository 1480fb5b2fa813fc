import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';
import { AccountScoped } from './common';
import { defineEvent } from './event-definition';

export const NOTIFICATION_KINDS = ['new_lead', 'conversation_update', 'inbox_message', 'automation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERY_CHANNELS = ['in_app', 'email', 'webhook'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

export class NotificationCreated extends AccountScoped {
  @IsUUID() notificationId!: string;
  @IsUUID() memberId!: string;
  @IsIn(NOTIFICATION_KINDS) kind!: NotificationKind;
  @IsString() @MaxLength(500) title!: string;
  @IsOptional() @IsUUID() conversationId?: string | null;
  @IsOptional() @IsUUID() contactId?: string | null;
  @IsISO8601() createdAt!: string;
}

export class NotificationDelivered extends AccountScoped {
  @IsUUID() notificationId!: string;
  @IsIn(DELIVERY_CHANNELS) channel!: DeliveryChannel;
  @IsString() @MaxLength(500) recipient!: string;
  @IsISO8601() deliveredAt!: string;
  /** The delivery (one per event, recipient and channel); for webhooks it also stands in as notificationId. */
  @IsOptional() @IsUUID() deliveryId?: string;
  /** The webhook endpoint, for webhook deliveries. */
  @IsOptional() @IsUUID() endpointId?: string;
}

export class NotificationFailed extends AccountScoped {
  @IsUUID() notificationId!: string;
  @IsIn(DELIVERY_CHANNELS) channel!: DeliveryChannel;
  @IsString() @MaxLength(500) recipient!: string;
  @IsString() @MaxLength(2000) error!: string;
  @IsInt() @Min(1) attempts!: number;
  @IsISO8601() failedAt!: string;
  /** The delivery (one per event, recipient and channel); for webhooks it also stands in as notificationId. */
  @IsOptional() @IsUUID() deliveryId?: string;
  /** The webhook endpoint, for webhook deliveries. */
  @IsOptional() @IsUUID() endpointId?: string;
}

export const NotificationCreatedEvent = defineEvent('NOTIFICATIONS', 1, 'notification.created',
  NotificationCreated, 'A notification was stored for a member.');
export const NotificationDeliveredEvent = defineEvent('NOTIFICATIONS', 1, 'notification.delivered',
  NotificationDelivered, 'A notification reached its recipient by email or webhook.');
export const NotificationFailedEvent = defineEvent('NOTIFICATIONS', 1, 'notification.failed',
  NotificationFailed, 'A notification could not be delivered after its retries.');
