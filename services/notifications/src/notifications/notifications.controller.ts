import { NOTIFICATION_KINDS, type NotificationKind } from '@leadline/contracts';
import { CurrentActor, type Actor } from '@leadline/platform';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { assertMayActFor } from '../members/member-access';
import { NotificationsService } from './notifications.service';

class NotificationsQuery {
  @IsOptional() @IsUUID()
  memberId?: string;

  @IsOptional() @IsIn(NOTIFICATION_KINDS, { message: `kind must be one of ${NOTIFICATION_KINDS.join(', ')}` })
  kind?: NotificationKind;

  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  unread?: boolean;
}

/** In-app notifications. An agent's session sees and marks its own; admins and systems any member's. */
@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: NotificationsQuery) {
    const memberId = query.memberId ?? (actor.role === 'agent' ? actor.memberId : undefined);
    if (memberId) assertMayActFor(actor, memberId);
    return this.notifications.list(actor.accountId, { memberId, kind: query.kind, unread: query.unread });
  }

  @Get('unread-count/:memberId')
  unread(@CurrentActor() actor: Actor, @Param('memberId', ParseUUIDPipe) memberId: string) {
    assertMayActFor(actor, memberId);
    return this.notifications.unreadCount(actor.accountId, memberId);
  }

  @Post(':notificationId/read')
  async read(@CurrentActor() actor: Actor, @Param('notificationId', ParseUUIDPipe) notificationId: string) {
    const notification = await this.notifications.get(actor.accountId, notificationId);
    assertMayActFor(actor, notification.memberId);
    return this.notifications.markRead(actor.accountId, notificationId);
  }
}
