import type { FieldProblem } from '@leadline/platform';
import { isEmail } from 'class-validator';
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject } from 'mailparser';
import type { MessageAttachment } from '../conversations/message.entity';

/** An inbound email, whichever way it arrived, reduced to what Leadline keeps. */
export interface InboundEmail {
  /** Message-ID without angle brackets: the dedupe key. */
  messageId: string;
  /** In-Reply-To and References: the thread it continues. */
  inReplyTo: string | null;
  references: string[];
  from: string;
  /** Every recipient address, to find the account's inbound address among them. */
  recipients: string[];
  subject: string | null;
  text: string;
  sentAt: Date | null;
  attachments: MessageAttachment[];
}

export type Parsed = { email: InboundEmail } | { problems: FieldProblem[] };

const MAX_TEXT = 100_000;

/** Message ids from a header value: `<a@b> <c@d>` -> `a@b`, `c@d`. */
export function messageIds(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(' ') : value ?? '';
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
  if (bracketed.length > 0) return bracketed;
  return text.split(/[\s,]+/).filter((id) => id.includes('@'));
}

/** A raw RFC 822 message, parsed with mailparser (MIME, encodings, charsets, HTML-only mail turned into text). */
export async function parseRawEmail(raw: Buffer): Promise<Parsed> {
  const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const addresses = (objects: AddressObject | AddressObject[] | undefined): string[] =>
    (Array.isArray(objects) ? objects : objects ? [objects] : [])
      .flatMap((object) => object.value.map((entry) => entry.address ?? ''))
      .filter((address) => address.length > 0);
  const header = (name: string): string | undefined => {
    const value = mail.headers.get(name);
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
    return undefined;
  };
  const envelope = ['x-original-to', 'delivered-to'].flatMap((name) => messageIdsOrAddresses(header(name)));
  return check({
    messageId: messageIds(mail.messageId)[0] ?? '',
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    from: addresses(mail.from)[0] ?? '',
    recipients: [...envelope, ...addresses(mail.to), ...addresses(mail.cc)],
    subject: mail.subject ?? null,
    text: mail.text ?? '',
    sentAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    attachments: mail.attachments.map((a) => ({ ...(a.filename ? { name: a.filename } : {}), contentType: a.contentType })),
  });
}

function messageIdsOrAddresses(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).map((part) => part.replace(/[<>]/g, '')).filter((part) => isEmail(part));
}

/**
 * Postmark's inbound webhook JSON (the inbound-parse provider that posts JSON); other fields are ignored. `HtmlBody`
 * is read only when `TextBody` is empty.
 */
export function parseInboundJson(body: unknown): Parsed {
  if (!body || typeof body !== 'object') return { problems: [{ field: 'body', reason: 'must be a JSON object' }] };
  const json = body as Record<string, unknown>;
  const headers = Array.isArray(json['Headers']) ? json['Headers'] as { Name?: unknown; Value?: unknown }[] : [];
  const header = (name: string): string | undefined => {
    const found = headers.find((h) => typeof h.Name === 'string' && h.Name.toLowerCase() === name);
    return typeof found?.Value === 'string' ? found.Value : undefined;
  };
  const text = (name: string): string | undefined => (typeof json[name] === 'string' ? json[name] as string : undefined);
  const fromFull = json['FromFull'] as { Email?: unknown } | undefined;
  const toFull = Array.isArray(json['ToFull']) ? json['ToFull'] as { Email?: unknown }[] : [];
  const ccFull = Array.isArray(json['CcFull']) ? json['CcFull'] as { Email?: unknown }[] : [];
  const recipients = [text('OriginalRecipient'), ...[...toFull, ...ccFull].map((r) => r.Email)]
    .filter((address): address is string => typeof address === 'string' && address.length > 0);
  const date = text('Date');
  const attachments = Array.isArray(json['Attachments']) ? json['Attachments'] as { Name?: unknown; ContentType?: unknown }[] : [];
  return check({
    messageId: messageIds(header('message-id'))[0] ?? text('MessageID') ?? '',
    inReplyTo: messageIds(header('in-reply-to'))[0] ?? null,
    references: messageIds(header('references')),
    from: typeof fromFull?.Email === 'string' ? fromFull.Email : text('From') ?? '',
    recipients,
    subject: text('Subject') ?? null,
    text: textOf(text('TextBody'), text('HtmlBody')),
    sentAt: date && !Number.isNaN(Date.parse(date)) ? new Date(date) : null,
    attachments: attachments.map((a) => ({
      ...(typeof a.Name === 'string' ? { name: a.Name } : {}), ...(typeof a.ContentType === 'string' ? { contentType: a.ContentType } : {}),
    })),
  });
}

/** The plain text, or for HTML-only mail its HTML turned into text (as mailparser does for raw mail). */
function textOf(plain: string | undefined, html: string | undefined): string {
  if (plain && plain.trim() !== '') return plain;
  if (!html) return '';
  return convert(html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }, { selector: 'a', options: { ignoreHref: true } }] });
}

function check(email: InboundEmail): Parsed {
  const problems: FieldProblem[] = [];
  if (!email.messageId || email.messageId.length > 998) problems.push({ field: 'Message-ID', reason: 'is required: every email must have its Message-ID' });
  if (!isEmail(email.from)) problems.push({ field: 'From', reason: 'must be the sender\'s email address' });
  if (email.recipients.length === 0) problems.push({ field: 'To', reason: 'must name the account\'s inbound address' });
  if (email.text.trim() === '') problems.push({ field: 'text', reason: 'the email has no text' });
  if (email.text.length > MAX_TEXT) problems.push({ field: 'text', reason: `must be at most ${MAX_TEXT} characters` });
  if (problems.length > 0) return { problems };
  // PostgreSQL text cannot hold U+0000; mail may carry it from a broken client, and it carries no meaning.
  const clean = (value: string): string => value.replace(/\u0000/g, '');
  return { email: { ...email, from: email.from.toLowerCase(), text: clean(email.text), subject: email.subject && clean(email.subject) } };
}
