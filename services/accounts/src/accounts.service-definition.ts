import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AccountAccessModule } from './access/access.module';
import { ApiKey } from './access/api-key.entity';
import { AccountsConfig } from './accounts.config';
import { AccountsConfigModule } from './accounts.tokens';
import { Account } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { ChannelSetting } from './accounts/channel-setting.entity';
import { Member } from './members/member.entity';
import { MembersModule } from './members/members.module';
import { AccountsSchema1763700000001 } from './migrations/1763700000001-accounts-schema';
import { ApiKeys1763800000001 } from './migrations/1763800000001-api-keys';

export const accountsService: ServiceDefinition<AccountsConfig> = {
  name: 'accounts',
  defaultPort: 3001,
  config: AccountsConfig,
  module: (config) => serviceModule({
    name: 'accounts',
    config,
    entities: [Account, ChannelSetting, Member, ApiKey],
    migrations: [AccountsSchema1763700000001, ApiKeys1763800000001],
    publishes: ['ACCOUNTS'],
    features: [AccountsConfigModule.forRoot(config), AccountsModule, MembersModule, AccountAccessModule],
  }),
};
