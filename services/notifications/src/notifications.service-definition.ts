import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AutomationRule } from './automations/automation-rule.entity';
import { AutomationsModule } from './automations/automations.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { FollowersModule } from './followers/followers.module';
import { TeamMember } from './members/team-member.entity';
import { MembersModule } from './members/members.module';
import { NotificationsSchema1763700000001 } from './migrations/1763700000001-notifications-schema';
import { NotificationsDelivery1763800000001 } from './migrations/1763800000001-notifications-delivery';
import { NotificationsOncePerEvent1763900000001 } from './migrations/1763900000001-notifications-once-per-event';
import { DeliveryTraceContext1764000000001 } from './migrations/1764000000001-delivery-trace-context';
import { NotificationsCoreModule } from './notifications-core.module';
import { Notification } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { NotificationsConfig } from './notifications.config';
import { WebhooksModule } from './webhooks/webhooks.module';

export const notificationsService: ServiceDefinition<NotificationsConfig> = {
  name: 'notifications',
  defaultPort: 3006,
  config: NotificationsConfig,
  module: (config) => serviceModule({
    name: 'notifications',
    config,
    entities: [TeamMember, Notification, AutomationRule],
    migrations: [NotificationsSchema1763700000001, NotificationsDelivery1763800000001, NotificationsOncePerEvent1763900000001,
      DeliveryTraceContext1764000000001],
    publishes: ['NOTIFICATIONS'],
    features: [
      NotificationsCoreModule.forRoot(config), MembersModule, NotificationsModule, FollowersModule, AutomationsModule,
      WebhooksModule, DeliveriesModule,
    ],
  }),
};
