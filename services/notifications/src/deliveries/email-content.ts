import { emailSubjectOf } from '../notifications/notification-titles';
import type { NotificationBody } from '../notifications/notification.entity';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const FIELD_LABELS: [key: string, label: string][] = [
  ['firstName', 'First name'], ['lastName', 'Last name'], ['emails', 'Email'], ['phones', 'Phone'],
  ['address', 'Address'], ['postalCode', 'Postal code'],
];

/**
 * The five characters that matter in HTML text and attribute values. Hand-written rather than a template engine:
 * the email is one fixed layout, and this is all the escaping it needs.
 */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function contactLines(contact: Record<string, unknown>): [string, string][] {
  return FIELD_LABELS.flatMap(([key, label]): [string, string][] => {
    const value = contact[key];
    const text = Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : typeof value === 'string' ? value : '';
    return text ? [[label, text]] : [];
  });
}

/** Subject "New Lead from Web Chat: John Smith", and a text and an HTML body with the contact, summary and link. */
export function renderEmail(title: string, body: NotificationBody): EmailContent {
  const subject = emailSubjectOf(body.label, body.name, body.channel);
  const fields = contactLines(body.contact ?? {});
  const text = [
    title, '',
    ...fields.map(([label, value]) => `${label}: ${value}`),
    ...(body.summary ? ['', `Summary: ${body.summary}`] : []),
    ...(body.details.length ? ['', ...body.details] : []),
    ...(body.conversationUrl ? ['', `Open the conversation: ${body.conversationUrl}`] : []),
    '', 'You receive this because of your Leadline notification preference.',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(title)}</h2>`,
    fields.length ? `<table>${fields.map(([label, value]) =>
      `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>` : '',
    body.summary ? `<p><strong>Summary:</strong> ${escapeHtml(body.summary)}</p>` : '',
    ...body.details.map((line) => `<p>${escapeHtml(line)}</p>`),
    body.conversationUrl ? `<p><a href="${escapeHtml(body.conversationUrl)}">Open the conversation</a></p>` : '',
    '<p style="color:#777">You receive this because of your Leadline notification preference.</p>',
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
