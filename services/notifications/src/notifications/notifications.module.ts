import { Module } from '@nestjs/common';
import { ContactPrivacy } from '../privacy/contact-privacy';
import { LeadNotifier } from './lead-notifier';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

@Module({ controllers: [NotificationsController], providers: [NotificationsService, LeadNotifier, ContactPrivacy] })
export class NotificationsModule {}
