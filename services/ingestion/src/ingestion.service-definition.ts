import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AccountDirectoryModule } from './account-directory/account-directory.module';
import { AccountSnapshot } from './account-directory/account-snapshot.entity';
import { ChannelRoute } from './account-directory/channel-route.entity';
import { Conversation } from './conversations/conversation.entity';
import { ConversationEventRecord } from './conversations/conversation-event.entity';
import { ConversationsModule } from './conversations/conversations.module';
import { Message } from './conversations/message.entity';
import { IdleModule } from './idle/idle.module';
import { IngestionConfig } from './ingestion.config';
import { LinkingModule } from './linking/linking.module';
import { IngestionSchema1763700000001 } from './migrations/1763700000001-ingestion-schema';
import { WebchatModule } from './webchat/webchat.module';

export const ingestionService: ServiceDefinition<IngestionConfig> = {
  name: 'ingestion',
  defaultPort: 3002,
  config: IngestionConfig,
  module: (config) => serviceModule({
    name: 'ingestion',
    config,
    entities: [AccountSnapshot, ChannelRoute, Conversation, Message, ConversationEventRecord],
    migrations: [IngestionSchema1763700000001],
    publishes: ['CONVERSATIONS'],
    features: [AccountDirectoryModule, ConversationsModule, WebchatModule, IdleModule.forRoot(config), LinkingModule],
    providers: [{ provide: IngestionConfig, useValue: config }],
  }),
};
