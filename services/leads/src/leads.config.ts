import { BaseServiceConfig } from '@leadline/platform';

export class LeadsConfig extends BaseServiceConfig {}
