import type { NotificationKind } from '@leadline/contracts';
import type { NotificationBody } from './notification.entity';

/** Something worth telling people about: what every channel (in-app, email, webhook) renders. */
export interface Occurrence {
  accountId: string;
  kind: NotificationKind;
  /** The kind, or `rule:<id>` for an automation: one delivery per event, recipient, channel and topic. */
  topic: string;
  /** The event that caused it (with the rule id for automations): with member and kind, unique. */
  sourceEventId: string;
  title: string;
  body: NotificationBody;
  conversationId: string | null;
  contactId: string | null;
}
