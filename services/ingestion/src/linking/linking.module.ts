import { Module } from '@nestjs/common';
import { ConversationLinker } from './conversation-linker';

@Module({ providers: [ConversationLinker] })
export class LinkingModule {}
