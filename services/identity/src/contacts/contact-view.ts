import type { ContactSummary } from './contact-summary.entity';
import type { Contact } from './contact.entity';
import { contactSnapshot } from './contact-snapshot';
import type { ConversationLink } from './conversation-link.entity';
import type { Identifier } from './identifier.entity';

/** A contact as the API shows it in lists: its fields, where each came from, and its emails and phones. */
export function contactListItem(contact: Contact, identifiers: Identifier[]) {
  return {
    ...contactSnapshot(contact, identifiers),
    fieldSources: contact.fieldSources ?? {},
    companyId: contact.companyId ?? null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}

export function identifierView(identifier: Identifier) {
  return {
    id: identifier.id, kind: identifier.kind, value: identifier.value, verified: identifier.verified,
    origin: identifier.source, createdAt: identifier.createdAt.toISOString(),
  };
}

export function conversationView(link: ConversationLink) {
  return { conversationId: link.conversationId, duplicate: link.duplicate, linkedAt: link.createdAt.toISOString() };
}

export function summaryView(summary: ContactSummary) {
  return {
    id: summary.id, conversationId: summary.conversationId, cycle: summary.cycle, summary: summary.summary,
    signals: summary.signals, createdAt: summary.createdAt.toISOString(),
  };
}
