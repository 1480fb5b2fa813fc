import type { FieldProblem } from '@leadline/platform';
import type { MessageAttachment } from '../conversations/message.entity';

/** Twilio's inbound-message webhook, form-encoded: only the fields Leadline keeps. */
export interface TwilioSms {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  media: MessageAttachment[];
}

export type TwilioForm = Record<string, string | string[]>;

const SID = /^[A-Za-z0-9]{2,64}$/;
const MAX_MEDIA = 10; // Twilio delivers at most 10 media items per message
const MAX_BODY = 10_000;

/** A form field's single value; Twilio never repeats the fields read here. */
export function single(form: TwilioForm, name: string): string | undefined {
  const value = form[name];
  return Array.isArray(value) ? undefined : value;
}

/** Reads and checks the fields; problems name each field and what is wrong with it. */
export function parseTwilioSms(form: TwilioForm): { sms: TwilioSms } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const field = (name: string, check: (value: string) => string | undefined): string => {
    const value = single(form, name);
    const reason = value === undefined ? 'is required (one value)' : check(value);
    if (reason) problems.push({ field: name, reason });
    return value ?? '';
  };
  const messageSid = field('MessageSid', (v) => (SID.test(v) ? undefined : 'must be a Twilio message SID'));
  const from = field('From', (v) => (v.trim().length > 0 && v.length <= 320 ? undefined : 'must be the sender\'s number'));
  const to = field('To', (v) => (v.trim().length > 0 && v.length <= 320 ? undefined : 'must be the account\'s number'));
  const body = single(form, 'Body') ?? '';
  if (Array.isArray(form['Body']) || body.length > MAX_BODY || body.includes('\u0000')) {
    problems.push({ field: 'Body', reason: `must be one text of at most ${MAX_BODY} characters, without NUL characters` });
  }
  const media = parseMedia(form, problems);
  if (problems.length === 0 && body.trim() === '' && media.length === 0) {
    problems.push({ field: 'Body', reason: 'is empty and the message has no media' });
  }
  return problems.length > 0 ? { problems } : { sms: { messageSid, from, to, body, media } };
}

function parseMedia(form: TwilioForm, problems: FieldProblem[]): MessageAttachment[] {
  const count = Number(single(form, 'NumMedia') ?? '0');
  if (!Number.isInteger(count) || count < 0 || count > MAX_MEDIA) {
    problems.push({ field: 'NumMedia', reason: `must be a whole number from 0 to ${MAX_MEDIA}` });
    return [];
  }
  const media: MessageAttachment[] = [];
  for (let i = 0; i < count; i += 1) {
    const url = single(form, `MediaUrl${i}`);
    if (!url || !/^https?:\/\/\S+$/.test(url)) {
      problems.push({ field: `MediaUrl${i}`, reason: `must be the URL of media item ${i} (NumMedia is ${count})` });
      continue;
    }
    const contentType = single(form, `MediaContentType${i}`);
    media.push({ url, ...(contentType ? { contentType } : {}) });
  }
  return media;
}

/** The E.164 number inside a sender address (`+14155550123`, `whatsapp:+14155550123`), if there is one. */
export function e164Of(address: string): string | undefined {
  const number = address.replace(/^[a-z]+:/i, '');
  return /^\+[1-9]\d{6,14}$/.test(number) ? number : undefined;
}

export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
