import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { currentTraceHeaders } from '@leadline/messaging';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { GroupCommitWriter, type BatchStatement, type OutboxAddress, type QueuedMessage } from './group-commit-writer';
import type { InboundMessage, RecordedMessage } from './inbound-message';
import { RECORD_VISITOR_MESSAGES } from './visitor-message-statement';

interface VisitorRow extends QueuedMessage {
  /** The statement's 19 per-message columns, in their order. */
  columns: unknown[];
  /** Passed beside the columns: the statement's parameter $25 (after the event subjects and types). */
  channelAddress: string | null;
}

/**
 * Writes visitors' messages with the one statement of visitor-message-statement.ts, grouped with the other
 * messages that arrive at the same moment (group-commit-writer.ts).
 */
@Injectable()
export class VisitorMessageWriter implements BatchStatement<VisitorRow> {
  readonly text = RECORD_VISITOR_MESSAGES;

  constructor(private readonly writer: GroupCommitWriter) {}

  write(message: InboundMessage, idleWindowSeconds: number): Promise<RecordedMessage> {
    return this.writer.write(this, this.rowOf(message, idleWindowSeconds));
  }

  values(batch: VisitorRow[], outbox: OutboxAddress): unknown[] {
    const columns = batch[0]!.columns.map((_, column) => batch.map((row) => row.columns[column]));
    return [
      ...columns,
      outbox.subjectOf(MessageReceivedEvent), MessageReceivedEvent.type, outbox.source,
      outbox.subjectOf(ConversationReopenedEvent), ConversationReopenedEvent.type,
      batch.map((row) => row.channelAddress),
    ];
  }

  private rowOf(m: InboundMessage, windowSeconds: number): VisitorRow {
    const messageId = uuidv7();
    return {
      messageId, providerMessageId: m.providerMessageId, channelAddress: m.channelAddress ?? null,
      columns: [
        m.accountId, m.channel, m.visitorKey, JSON.stringify(m.identifiers), uuidv7(), messageId, m.author, m.text,
        m.providerMessageId, m.sentAt, m.subject ?? null, m.quotedText ?? null, m.signatureText ?? null,
        JSON.stringify(m.attachments ?? []), JSON.stringify(currentTraceHeaders()), windowSeconds,
        uuidv7(), uuidv7(), uuidv7(),
      ],
    };
  }
}
