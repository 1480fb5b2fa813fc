import { BaseServiceConfig } from '@leadline/platform';

export class AccountsConfig extends BaseServiceConfig {}
