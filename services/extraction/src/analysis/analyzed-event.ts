import {
  CONTACT_FIELDS, type ConversationAnalyzed, type ConversationIdle, type ExtractedFieldsDto,
} from '@leadline/contracts';
import type { ExtractionInput, ExtractionResult } from '../extractor/extraction.types';

/** What the extractor reads: the transcript, the account's phone region and the channel's capture fields. */
export function extractionInput(idle: ConversationIdle): ExtractionInput {
  return {
    messages: idle.transcript.map((message) => ({
      id: message.messageId, author: message.author, text: message.text, sentAt: message.sentAt,
    })),
    defaultRegion: idle.defaultRegion,
    captureFields: idle.capture.captureLeads ? idle.capture.fields : [],
  };
}

export function conversationAnalyzedPayload(idle: ConversationIdle, result: ExtractionResult, now: Date): ConversationAnalyzed {
  const fields: ExtractedFieldsDto = {};
  if (idle.capture.captureLeads) {
    for (const field of CONTACT_FIELDS) {
      const value = result.fields[field];
      if (value && idle.capture.fields.includes(field)) fields[field] = value;
    }
  }
  return {
    accountId: idle.accountId,
    conversationId: idle.conversationId,
    channel: idle.channel,
    cycle: idle.cycle,
    identifiers: idle.identifiers,
    contactId: idle.contactId ?? null,
    capture: idle.capture,
    defaultRegion: idle.defaultRegion,
    visitorMessageCount: idle.transcript.filter((message) => message.author === 'visitor').length,
    fields,
    summary: result.summary,
    signals: { ...result.signals, preferredContact: result.signals.preferredContact ?? null },
    extractor: result.extractor,
    conversationUrl: idle.conversationUrl,
    analyzedAt: now.toISOString(),
  };
}
