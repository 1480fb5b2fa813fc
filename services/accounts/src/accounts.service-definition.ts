import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AccountsConfig } from './accounts.config';
import { Account } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { ChannelSetting } from './accounts/channel-setting.entity';
import { Member } from './members/member.entity';
import { MembersModule } from './members/members.module';
import { AccountsSchema1763700000001 } from './migrations/1763700000001-accounts-schema';

export const accountsService: ServiceDefinition<AccountsConfig> = {
  name: 'accounts',
  defaultPort: 3001,
  config: AccountsConfig,
  module: (config) => serviceModule({
    name: 'accounts',
    config,
    entities: [Account, ChannelSetting, Member],
    migrations: [AccountsSchema1763700000001],
    publishes: ['ACCOUNTS'],
    features: [AccountsModule, MembersModule],
  }),
};
