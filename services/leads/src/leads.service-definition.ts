import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { LeadHistoryEntry } from './leads/lead-history.entity';
import { Lead } from './leads/lead.entity';
import { LeadsModule } from './leads/leads.module';
import { LeadsConfig } from './leads.config';
import { LeadsSchema1763700000001 } from './migrations/1763700000001-leads-schema';

export const leadsService: ServiceDefinition<LeadsConfig> = {
  name: 'leads',
  defaultPort: 3005,
  config: LeadsConfig,
  module: (config) => serviceModule({
    name: 'leads',
    config,
    entities: [Lead, LeadHistoryEntry],
    migrations: [LeadsSchema1763700000001],
    publishes: ['LEADS'],
    features: [LeadsModule],
  }),
};
