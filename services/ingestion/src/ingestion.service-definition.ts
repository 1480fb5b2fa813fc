import { serviceModule, type ServiceDefinition } from '@leadline/platform';
import { AccountDirectoryModule } from './account-directory/account-directory.module';
import { AccountSnapshot } from './account-directory/account-snapshot.entity';
import { ChannelRoute } from './account-directory/channel-route.entity';
import { Conversation } from './conversations/conversation.entity';
import { ConversationEventRecord } from './conversations/conversation-event.entity';
import { ConversationsModule } from './conversations/conversations.module';
import { Message } from './conversations/message.entity';
import { EmailModule } from './email/email.module';
import { BodyParsersModule } from './http/body-parsers';
import { IdleModule } from './idle/idle.module';
import { IngestionConfigModule } from './ingestion-config.module';
import { IngestionConfig } from './ingestion.config';
import { LinkingModule } from './linking/linking.module';
import { IngestionSchema1763700000001 } from './migrations/1763700000001-ingestion-schema';
import { IngestionChannels1763800000001 } from './migrations/1763800000001-ingestion-channels';
import { IngestionContactIndex1764000000001 } from './migrations/1764000000001-ingestion-contact-index';
import { ConversationChannelAddress1764100000001 } from './migrations/1764100000001-conversation-channel-address';
import { SmsModule } from './sms/sms.module';
import { VisitorSession } from './webchat/visitor-session.entity';
import { VoiceModule } from './voice/voice.module';
import { WebchatModule } from './webchat/webchat.module';

export const ingestionService: ServiceDefinition<IngestionConfig> = {
  name: 'ingestion',
  defaultPort: 3002,
  config: IngestionConfig,
  module: (config) => serviceModule({
    name: 'ingestion',
    config,
    entities: [AccountSnapshot, ChannelRoute, Conversation, Message, ConversationEventRecord, VisitorSession],
    migrations: [IngestionSchema1763700000001, IngestionChannels1763800000001, IngestionContactIndex1764000000001, ConversationChannelAddress1764100000001],
    publishes: ['CONVERSATIONS'],
    features: [
      IngestionConfigModule.forRoot(config), BodyParsersModule, AccountDirectoryModule, ConversationsModule,
      WebchatModule, SmsModule, VoiceModule, EmailModule, IdleModule.forRoot(config), LinkingModule,
    ],
    providers: [{ provide: IngestionConfig, useValue: config }],
  }),
};
