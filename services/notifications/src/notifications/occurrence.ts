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
  /**
   * The event that caused it, without the rule: one notification per member and cause, one delivery per channel,
   * recipient and cause. Whatever is written first for a cause wins (the default notification, then rules in order).
   */
  causeEventId: string;
  title: string;
  body: NotificationBody;
  conversationId: string | null;
  contactId: string | null;
}
