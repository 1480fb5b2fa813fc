import { Global, Module } from '@nestjs/common';
import { ConversationsController } from './conversations.controller';
import { ConversationsService } from './conversations.service';
import { Inbox } from './inbox';
import { MessageRecorder } from './message-recorder';
import { GroupCommitWriter } from './group-commit-writer';
import { ReplyWriter } from './reply-writer';
import { VisitorMessageWriter } from './visitor-message-writer';

@Global()
@Module({
  controllers: [ConversationsController],
  providers: [ConversationsService, MessageRecorder, GroupCommitWriter, VisitorMessageWriter, ReplyWriter, Inbox],
  exports: [ConversationsService, MessageRecorder],
})
export class ConversationsModule {}
