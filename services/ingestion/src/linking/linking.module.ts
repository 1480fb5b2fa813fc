import { Module } from '@nestjs/common';
import { ContactLifecycle } from './contact-lifecycle';
import { ConversationLinker } from './conversation-linker';

@Module({ providers: [ConversationLinker, ContactLifecycle] })
export class LinkingModule {}
