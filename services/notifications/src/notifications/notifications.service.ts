import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { Notification } from './notification.entity';

@Injectable()
export class NotificationsService {
  constructor(private readonly dataSource: DataSource) {}

  list(accountId: string, memberId?: string): Promise<Notification[]> {
    return this.dataSource.manager.find(Notification, {
      where: { accountId, ...(memberId ? { memberId } : {}) }, order: { createdAt: 'DESC', id: 'DESC' }, take: 100,
    });
  }

  async unreadCount(accountId: string, memberId: string): Promise<{ unread: number }> {
    return { unread: await this.dataSource.manager.countBy(Notification, { accountId, memberId, readAt: IsNull() }) };
  }

  async markRead(accountId: string, notificationId: string): Promise<Notification> {
    const notification = await this.dataSource.manager.findOneBy(Notification, { id: notificationId, accountId });
    if (!notification) throw new NotFoundException('notification not found');
    notification.readAt ??= new Date();
    return this.dataSource.manager.save(notification);
  }
}
