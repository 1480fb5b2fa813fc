import { MessageReceivedEvent, type MessageAuthor } from '@leadline/contracts';
import { currentTraceHeaders, MESSAGING_OPTIONS, SubjectNaming, type MessagingOptions } from '@leadline/messaging';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { GroupCommitWriter, type BatchStatement, type QueuedMessage } from './group-commit-writer';
import type { RecordedMessage } from './inbound-message';
import { RECORD_REPLIES } from './reply-statement';

/** An AI's or agent's message in a conversation it names. */
export interface Reply {
  accountId: string;
  conversationId: string;
  providerMessageId: string;
  author: Exclude<MessageAuthor, 'visitor'>;
  memberId: string | null;
  text: string;
  sentAt: Date;
}

interface ReplyRow extends QueuedMessage {
  reply: Reply;
  outboxId: string;
  traceHeaders: string;
}

/** Writes replies with the one statement of reply-statement.ts, grouped with the others of the moment. */
@Injectable()
export class ReplyWriter implements BatchStatement<ReplyRow> {
  readonly name = 'ingestion-record-replies';
  readonly text = RECORD_REPLIES;
  private readonly naming: SubjectNaming;

  constructor(
    private readonly writer: GroupCommitWriter,
    @Inject(MESSAGING_OPTIONS) private readonly messaging: MessagingOptions,
  ) {
    this.naming = new SubjectNaming(messaging.subjectPrefix);
  }

  write(reply: Reply): Promise<RecordedMessage> {
    return this.writer.write(this, {
      reply, messageId: uuidv7(), providerMessageId: reply.providerMessageId, outboxId: uuidv7(),
      traceHeaders: JSON.stringify(currentTraceHeaders()),
    });
  }

  values(batch: ReplyRow[]): unknown[] {
    const column = <T>(of: (row: ReplyRow) => T) => batch.map(of);
    return [
      column((r) => r.reply.accountId), column((r) => r.reply.conversationId), column((r) => r.messageId),
      column((r) => r.reply.author), column((r) => r.reply.memberId), column((r) => r.reply.text),
      column((r) => r.providerMessageId), column((r) => r.reply.sentAt), column((r) => r.traceHeaders),
      column((r) => r.outboxId),
      this.naming.subject(MessageReceivedEvent.subject), MessageReceivedEvent.type, this.messaging.serviceName,
    ];
  }

  missing(row: ReplyRow): Error {
    return new NotFoundException(`conversation ${row.reply.conversationId} not found in this account`);
  }
}
