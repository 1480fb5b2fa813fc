import type { NotificationKind } from '@leadline/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull, Not, type FindOptionsWhere } from 'typeorm';
import { Notification } from './notification.entity';

export interface NotificationFilter {
  memberId?: string | undefined;
  kind?: NotificationKind | undefined;
  unread?: boolean | undefined;
}

@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  list(accountId: string, filter: NotificationFilter = {}): Promise<Notification[]> {
    const where: FindOptionsWhere<Notification> = { accountId };
    if (filter.memberId) where.memberId = filter.memberId;
    if (filter.kind) where.kind = filter.kind;
    if (filter.unread !== undefined) where.readAt = filter.unread ? IsNull() : Not(IsNull());
    return this.dataSource.manager.find(Notification, { where, order: { createdAt: 'DESC', id: 'DESC' }, take: 100 });
  }

  async unreadCount(accountId: string, memberId: string): Promise<{ unread: number }> {
    return { unread: await this.dataSource.manager.countBy(Notification, { accountId, memberId, readAt: IsNull() }) };
  }

  async get(accountId: string, notificationId: string): Promise<Notification> {
    const notification = await this.dataSource.manager.findOneBy(Notification, { id: notificationId, accountId });
    if (!notification) throw new NotFoundException(`notification ${notificationId} not found in this account`);
    return notification;
  }

  async markRead(accountId: string, notificationId: string): Promise<Notification> {
    const notification = await this.get(accountId, notificationId);
    notification.readAt ??= new Date();
    return this.dataSource.manager.save(notification);
  }
}
