import { BaseServiceConfig } from '@leadline/platform';

export class IdentityConfig extends BaseServiceConfig {}
