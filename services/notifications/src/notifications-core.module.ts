import { Global, Module, type DynamicModule } from '@nestjs/common';
import { LocalAccounts } from './accounts/local-accounts';
import { AutomationRunner } from './automations/automation-runner';
import { ConversationDirectory } from './conversations/conversation-directory';
import { DeliveryScheduler } from './deliveries/delivery-scheduler';
import { NotificationWriter } from './notifications/notification-writer';
import type { NotificationsConfig } from './notifications.config';
import { NOTIFICATIONS_CONFIG } from './notifications.tokens';

const SHARED = [LocalAccounts, ConversationDirectory, DeliveryScheduler, NotificationWriter, AutomationRunner];

/** What every feature of the service uses: configuration, local copies, the writer and the delivery queue. */
@Global()
@Module({})
export class NotificationsCoreModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: NotificationsCoreModule,
      providers: [{ provide: NOTIFICATIONS_CONFIG, useValue: config }, ...SHARED],
      exports: [NOTIFICATIONS_CONFIG, ...SHARED],
    };
  }
}
