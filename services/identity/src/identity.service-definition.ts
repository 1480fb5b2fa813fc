import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AccountSettings } from './account-settings/account-settings.entity';
import { AccountSettingsModule } from './account-settings/account-settings.module';
import { Contact } from './contacts/contact.entity';
import { ContactSummary } from './contacts/contact-summary.entity';
import { ContactsModule } from './contacts/contacts.module';
import { ConversationLink } from './contacts/conversation-link.entity';
import { Identifier } from './contacts/identifier.entity';
import { IdentityConfig } from './identity.config';
import { IdentitySchema1763700000001 } from './migrations/1763700000001-identity-schema';
import { ResolutionModule } from './resolution/resolution.module';

export const identityService: ServiceDefinition<IdentityConfig> = {
  name: 'identity',
  defaultPort: 3004,
  config: IdentityConfig,
  module: (config) => serviceModule({
    name: 'identity',
    config,
    entities: [AccountSettings, Contact, Identifier, ConversationLink, ContactSummary],
    migrations: [IdentitySchema1763700000001],
    publishes: ['IDENTITY'],
    features: [AccountSettingsModule, ContactsModule, ResolutionModule],
  }),
};
