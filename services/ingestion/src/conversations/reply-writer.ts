import { MessageReceivedEvent, type MessageAuthor } from '@leadline/contracts';
import { currentTraceHeaders } from '@leadline/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { GroupCommitWriter, type BatchStatement, type OutboxAddress, type QueuedMessage } from './group-commit-writer';
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
  readonly text = RECORD_REPLIES;

  constructor(private readonly writer: GroupCommitWriter) {}

  write(reply: Reply): Promise<RecordedMessage> {
    return this.writer.write(this, {
      reply, messageId: uuidv7(), providerMessageId: reply.providerMessageId, outboxId: uuidv7(),
      traceHeaders: JSON.stringify(currentTraceHeaders()),
    });
  }

  values(batch: ReplyRow[], outbox: OutboxAddress): unknown[] {
    const column = <T>(of: (row: ReplyRow) => T) => batch.map(of);
    return [
      column((r) => r.reply.accountId), column((r) => r.reply.conversationId), column((r) => r.messageId),
      column((r) => r.reply.author), column((r) => r.reply.memberId), column((r) => r.reply.text),
      column((r) => r.providerMessageId), column((r) => r.reply.sentAt), column((r) => r.traceHeaders),
      column((r) => r.outboxId),
      outbox.subjectOf(MessageReceivedEvent), MessageReceivedEvent.type, outbox.source,
    ];
  }

  missing(row: ReplyRow): Error {
    return new NotFoundException(`conversation ${row.reply.conversationId} not found in this account`);
  }
}
