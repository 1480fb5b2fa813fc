import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { TeamMember } from './members/team-member.entity';
import { MembersModule } from './members/members.module';
import { NotificationsSchema1763700000001 } from './migrations/1763700000001-notifications-schema';
import { Notification } from './notifications/notification.entity';
import { NotificationsModule } from './notifications/notifications.module';
import { NotificationsConfig } from './notifications.config';

export const notificationsService: ServiceDefinition<NotificationsConfig> = {
  name: 'notifications',
  defaultPort: 3006,
  config: NotificationsConfig,
  module: (config) => serviceModule({
    name: 'notifications',
    config,
    entities: [TeamMember, Notification],
    migrations: [NotificationsSchema1763700000001],
    publishes: ['NOTIFICATIONS'],
    features: [MembersModule, NotificationsModule],
  }),
};
