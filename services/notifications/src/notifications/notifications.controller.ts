import { AccountId } from '@leadline/platform';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsOptional, IsUUID } from 'class-validator';
import { NotificationsService } from './notifications.service';

class NotificationsQuery {
  @IsOptional() @IsUUID()
  memberId?: string;
}

@Controller('v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  list(@AccountId() accountId: string, @Query() query: NotificationsQuery) {
    return this.notifications.list(accountId, query.memberId);
  }

  @Get('unread-count/:memberId')
  unread(@AccountId() accountId: string, @Param('memberId', ParseUUIDPipe) memberId: string) {
    return this.notifications.unreadCount(accountId, memberId);
  }

  @Post(':notificationId/read')
  read(@AccountId() accountId: string, @Param('notificationId', ParseUUIDPipe) notificationId: string) {
    return this.notifications.markRead(accountId, notificationId);
  }
}
