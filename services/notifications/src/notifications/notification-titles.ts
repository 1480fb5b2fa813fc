import type { Channel } from '@leadline/contracts';

export interface ContactLike {
  displayName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  emails?: string[];
  phones?: string[];
}

export const CHANNEL_LABELS: Record<Channel, string> = { webchat: 'Web Chat', sms: 'SMS', voice: 'Phone', email: 'Email' };

/** The name, else the email, else the phone: what a title says about a contact. */
export function contactName(contact: ContactLike | null | undefined, fallback = 'Unknown visitor'): string {
  const name = [contact?.firstName, contact?.lastName].filter((part) => part && part.trim()).join(' ').trim();
  return name || contact?.emails?.[0] || contact?.phones?.[0] || contact?.displayName?.trim() || fallback;
}

/** "New Lead: John Smith" */
export function titleOf(label: string, name: string): string {
  return `${label}: ${name}`;
}

/** "New Lead from Web Chat: John Smith" (the channel is left out when unknown). */
export function emailSubjectOf(label: string, name: string, channel: Channel | null | undefined): string {
  return channel ? `${label} from ${CHANNEL_LABELS[channel]}: ${name}` : titleOf(label, name);
}

export const LABELS = {
  new_lead: 'New Lead',
  conversation_update: 'Conversation Update',
  inbox_message: 'New Message',
} as const;
