import { Module } from '@nestjs/common';
import { LeadNotifier } from './lead-notifier';
import { NotificationWriter } from './notification-writer';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({ controllers: [NotificationsController], providers: [NotificationsService, NotificationWriter, LeadNotifier] })
export class NotificationsModule {}
