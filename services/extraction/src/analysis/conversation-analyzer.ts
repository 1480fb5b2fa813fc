import { ConversationAnalyzedEvent, ConversationIdleEvent, type ConversationIdle } from '@leadline/contracts';
import { OnEvent, Outbox, type ReceivedEvent } from '@leadline/messaging';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConversationExtractor } from '../extractor/extraction.types';
import { conversationAnalyzedPayload, extractionInput } from './analyzed-event';

export const CONVERSATION_EXTRACTOR = Symbol('CONVERSATION_EXTRACTOR');

/** Reads each idle conversation and says who the visitor is and what they want. */
@Injectable()
export class ConversationAnalyzer {
  constructor(private readonly outbox: Outbox, @Inject(CONVERSATION_EXTRACTOR) private readonly extractor: ConversationExtractor) {}

  @OnEvent(ConversationIdleEvent, { purpose: 'analyze-idle-conversation' })
  async onConversationIdle(event: ReceivedEvent<ConversationIdle>, tx: EntityManager): Promise<void> {
    const idle = event.data;
    const result = await this.extractor.extract(extractionInput(idle));
    await this.outbox.add(tx, ConversationAnalyzedEvent, conversationAnalyzedPayload(idle, result, new Date()), idle.conversationId);
  }
}
