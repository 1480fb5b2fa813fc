import { BaseServiceConfig } from '@leadline/platform';

export class NotificationsConfig extends BaseServiceConfig {}
