import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { ContactEntry, ContactFate } from './contacts/contact-entry.entity';
import { FollowUp } from './follow-ups/follow-up.entity';
import { LeadHistoryEntry } from './leads/lead-history.entity';
import { Lead } from './leads/lead.entity';
import { LeadsModule } from './leads/leads.module';
import { LeadsConfig } from './leads.config';
import { TeamMember } from './members/team-member.entity';
import { LeadsSchema1763700000001 } from './migrations/1763700000001-leads-schema';
import { LeadLifecycle1763800000001 } from './migrations/1763800000001-lead-lifecycle';
import { TextSearchStatistics1763900000001 } from './migrations/1763900000001-text-search-statistics';

export const leadsService: ServiceDefinition<LeadsConfig> = {
  name: 'leads',
  defaultPort: 3005,
  config: LeadsConfig,
  module: (config) => serviceModule({
    name: 'leads',
    config,
    entities: [Lead, LeadHistoryEntry, TeamMember, ContactEntry, ContactFate, FollowUp],
    migrations: [LeadsSchema1763700000001, LeadLifecycle1763800000001, TextSearchStatistics1763900000001],
    publishes: ['LEADS'],
    features: [LeadsModule],
  }),
};
