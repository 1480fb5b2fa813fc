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
import { ContactFieldSources1763850000000 } from './migrations/1763850000000-contact-field-sources';
import { ContactData1763850000001 } from './migrations/1763850000001-contact-data';
import { ContactSearchModule } from './contact-search/contact-search.module';
import { AttributeDefinition, Company, ContactActivity, ContactAttribute } from './custom-data/custom-data.entities';
import { CustomDataModule } from './custom-data/custom-data.module';
import { ContactImportModule } from './contact-import/contact-import.module';
import { ResolutionModule } from './resolution/resolution.module';
import { IdentityResolution1763800000000 } from './migrations/1763800000000-identity-resolution';
import { DuplicateSuggestion } from './suggestions/duplicate-suggestion.entity';
import { SuggestionsModule } from './suggestions/suggestions.module';
import { ContactMerge } from './merge/contact-merge.entity';
import { MergeModule } from './merge/merge.module';
import { ContactErasure } from './erasure/contact-erasure.entity';
import { ErasureModule } from './erasure/erasure.module';
import { IdentifyModule } from './identify/identify.module';

export const identityService: ServiceDefinition<IdentityConfig> = {
  name: 'identity',
  defaultPort: 3004,
  config: IdentityConfig,
  module: (config) => serviceModule({
    name: 'identity',
    config,
    entities: [AccountSettings, Contact, Identifier, ConversationLink, ContactSummary,
      DuplicateSuggestion, ContactMerge, ContactErasure,
      AttributeDefinition, ContactAttribute, ContactActivity, Company],
    migrations: [IdentitySchema1763700000001, IdentityResolution1763800000000, ContactFieldSources1763850000000, ContactData1763850000001],
    publishes: ['IDENTITY'],
    features: [SuggestionsModule, MergeModule, ErasureModule, IdentifyModule,
      AccountSettingsModule, ContactsModule, ResolutionModule, ContactSearchModule, CustomDataModule,
      ContactImportModule.forRoot({ maxRows: config.CONTACT_IMPORT_MAX_ROWS, maxBytes: config.CONTACT_IMPORT_MAX_BYTES })],
  }),
};
