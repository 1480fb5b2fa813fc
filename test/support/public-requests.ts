import { eventually } from '@leadline/testing';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { LeadlineStack, TestAccount } from './leadline-stack';

/**
 * The public endpoints (no Leadline credential: widgets and channel webhooks check their own widget key, signature
 * or visitor session) as requests built for one account's channels and signed with one account's secrets. The
 * schemes are computed here from their documentation, independently of the code under test:
 * - Twilio: base64 HMAC-SHA1(auth token, URL + each form param's name and value, sorted by name);
 * - X-Leadline-Signature (voice, email): `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`;
 * - identity: hex HMAC-SHA256(identity secret, userId [+ "\n" + email]).
 */
export interface Channels {
  accountId: string;
  apiKey: string;
  widgetKey: string;
  /** A device id this account's visitor used. */
  deviceId: string;
  identitySecret: string;
  smsNumber: string;
  smsToken: string;
  voiceNumber: string;
  voiceSecret: string;
  email: string;
  emailSecret: string;
  /** A live visitor session on the widget, for `deviceId`. */
  visitorSession: string;
}

export interface PublicRequest {
  service: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PublicCase {
  /** A request to `target`'s channel, signed with `signer`'s secrets: accepted when they are the same account. */
  signed(target: Channels, signer: Channels, baseUrl: string): PublicRequest;
  /**
   * What another account's secrets get on `target`: `refused` (4xx), or `own-only` where the credential names
   * the signer's own records (its widget session) and the answer may only be about those.
   */
  cross: 'refused' | 'own-only';
  /** False when no account secret is ever accepted (creating accounts takes the operator key). */
  ownAccepted?: boolean;
  /** Requests that must be refused on `target`'s own channel: unsigned, forged, stale, altered after signing. */
  forgeries(target: Channels, baseUrl: string): PublicRequest[];
}

const hmac = (algorithm: string, secret: string, text: string) => createHmac(algorithm, secret).update(text, 'utf8');

export function twilioSignature(token: string, url: string, params: Record<string, string>): string {
  return hmac('sha1', token, Object.keys(params).sort().reduce((text, key) => text + key + params[key], url)).digest('base64');
}

export function leadlineSignature(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${hmac('sha256', secret, `${at}.${body}`).digest('hex')}`;
}

export function identitySignature(secret: string, userId: string, email?: string): string {
  return hmac('sha256', secret, email === undefined ? userId : `${userId}\n${email}`).digest('hex');
}

const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function smsParams(to: string): Record<string, string> {
  return { To: to, From: '+14155550142', Body: 'Hi, is the shop open on Sunday?', MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: `AC${randomBytes(16).toString('hex')}`, NumMedia: '0' };
}

function transcript(to: string): string {
  return JSON.stringify({ to, callId: `CA${randomBytes(8).toString('hex')}`, from: '+14155550143', turns: [{ speaker: 'caller', text: 'Hello, I need a plumber.', at: new Date().toISOString() }] });
}

function postmark(to: string): string {
  return JSON.stringify({ FromFull: { Email: 'sender@example.org' }, From: 'sender@example.org', ToFull: [{ Email: to }], Subject: 'Hello', MessageID: randomUUID(), TextBody: 'Do you ship to Canada?', Headers: [{ Name: 'Message-ID', Value: `<${randomUUID()}@example.org>` }] });
}

const webchatBody = (target: Channels, identitySecret: string, extra: Record<string, unknown> = {}) => {
  const userId = `user-${randomUUID()}`;
  return JSON.stringify({ widgetKey: target.widgetKey, deviceId: target.deviceId, userId, identityToken: identitySignature(identitySecret, userId), ...extra });
};

/** Every public endpoint, keyed `METHOD service/path` as the route catalogue names it. */
export const PUBLIC_CASES: Record<string, PublicCase> = {
  'POST accounts/v1/accounts': {
    cross: 'refused', ownAccepted: false,
    signed: (_target, signer) => ({ service: 'accounts', method: 'POST', path: '/v1/accounts', headers: { ...json, authorization: `Bearer ${signer.apiKey}` }, body: JSON.stringify({ name: 'Mine', domain: 'mine.example' }) }),
    forgeries: () => [undefined, 'Bearer op_x', `Bearer ${'a'.repeat(64)}`, 'Basic b3A6b3A='].map((authorization) => ({
      service: 'accounts', method: 'POST', path: '/v1/accounts', headers: { ...json, ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ name: 'Mine', domain: 'mine.example' }),
    })),
  },
  'POST ingestion/v1/webchat/messages': {
    cross: 'refused',
    signed: (target, signer) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/messages', headers: json, body: webchatBody(target, signer.identitySecret, { clientMessageId: randomUUID(), text: 'Hello again' }) }),
    forgeries: (target) => [
      webchatBody(target, 'not-the-secret', { clientMessageId: randomUUID(), text: 'x' }),
      JSON.stringify({ widgetKey: `${target.widgetKey}-unknown`, deviceId: randomUUID(), clientMessageId: 'c', text: 'x' }),
      JSON.stringify({ widgetKey: target.widgetKey, deviceId: randomUUID(), clientMessageId: 'c', text: 'x', userId: 'u1', identityToken: '0'.repeat(64) }),
    ].map((body) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/messages', headers: json, body })),
  },
  'POST ingestion/v1/webchat/sessions': {
    cross: 'refused',
    signed: (target, signer) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/sessions', headers: json, body: webchatBody(target, signer.identitySecret) }),
    forgeries: (target) => [webchatBody(target, 'not-the-secret'), JSON.stringify({ widgetKey: `${target.widgetKey}-unknown`, deviceId: randomUUID() })]
      .map((body) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/sessions', headers: json, body })),
  },
  'GET ingestion/v1/webchat/conversation': {
    cross: 'own-only',
    signed: (_target, signer) => ({ service: 'ingestion', method: 'GET', path: '/v1/webchat/conversation', headers: { 'x-visitor-session': signer.visitorSession } }),
    forgeries: () => [{}, { 'x-visitor-session': randomBytes(32).toString('base64url') }, { 'x-visitor-session': '' }]
      .map((headers) => ({ service: 'ingestion', method: 'GET', path: '/v1/webchat/conversation', headers })),
  },
  'POST ingestion/v1/webchat/shutdown': {
    cross: 'own-only',
    signed: (_target, signer) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/shutdown', headers: { 'x-visitor-session': signer.visitorSession } }),
    forgeries: () => [{}, { 'x-visitor-session': randomBytes(32).toString('base64url') }]
      .map((headers) => ({ service: 'ingestion', method: 'POST', path: '/v1/webchat/shutdown', headers })),
  },
  'POST ingestion/v1/sms/twilio': {
    cross: 'refused',
    signed: (target, signer, baseUrl) => {
      const params = smsParams(target.smsNumber);
      return { service: 'ingestion', method: 'POST', path: '/v1/sms/twilio', headers: { ...form, 'x-twilio-signature': twilioSignature(signer.smsToken, `${baseUrl}/v1/sms/twilio`, params) }, body: new URLSearchParams(params).toString() };
    },
    forgeries: (target, baseUrl) => {
      const params = smsParams(target.smsNumber);
      const url = `${baseUrl}/v1/sms/twilio`;
      const good = twilioSignature(target.smsToken, url, params);
      return [
        { 'x-twilio-signature': twilioSignature('not-the-token', url, params), body: params },
        { body: params },
        { 'x-twilio-signature': good, body: { ...params, Body: 'changed after signing' } },
        { 'x-twilio-signature': twilioSignature(target.smsToken, 'https://elsewhere.example/v1/sms/twilio', params), body: params },
        { 'x-twilio-signature': good.slice(0, -2), body: params },
      ].map(({ body, ...headers }) => ({ service: 'ingestion', method: 'POST', path: '/v1/sms/twilio', headers: { ...form, ...headers }, body: new URLSearchParams(body).toString() }));
    },
  },
  'POST ingestion/v1/voice/transcripts': {
    cross: 'refused',
    signed: (target, signer) => {
      const body = transcript(target.voiceNumber);
      return { service: 'ingestion', method: 'POST', path: '/v1/voice/transcripts', headers: { ...json, 'x-leadline-signature': leadlineSignature(signer.voiceSecret, body) }, body };
    },
    forgeries: (target) => leadlineForgeries('/v1/voice/transcripts', transcript(target.voiceNumber), target.voiceSecret),
  },
  'POST ingestion/v1/email/inbound': {
    cross: 'refused',
    signed: (target, signer) => {
      const body = postmark(target.email);
      return { service: 'ingestion', method: 'POST', path: '/v1/email/inbound', headers: { ...json, 'x-leadline-signature': leadlineSignature(signer.emailSecret, body) }, body };
    },
    forgeries: (target) => {
      const body = postmark(target.email);
      const basic = (password: string) => `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}`;
      return [
        ...leadlineForgeries('/v1/email/inbound', body, target.emailSecret),
        { service: 'ingestion', method: 'POST', path: '/v1/email/inbound', headers: { ...json, authorization: basic('not-the-secret') }, body },
        { service: 'ingestion', method: 'POST', path: '/v1/email/inbound', headers: { ...json, authorization: basic('') }, body },
      ];
    },
  },
  'POST identity/v1/identify': {
    cross: 'refused',
    signed: (target, signer) => {
      const userId = `user-${randomUUID()}`;
      return { service: 'identity', method: 'POST', path: '/v1/identify', headers: json, body: JSON.stringify({ accountId: target.accountId, userId, deviceId: randomUUID(), signature: identitySignature(signer.identitySecret, userId) }) };
    },
    forgeries: (target) => {
      const userId = `user-${randomUUID()}`;
      const good = identitySignature(target.identitySecret, userId);
      return [
        { accountId: target.accountId, userId },
        { accountId: target.accountId, userId, signature: identitySignature('not-the-secret', userId) },
        { accountId: target.accountId, userId: `${userId}x`, signature: good },
        { accountId: target.accountId, userId, email: 'someone.else@example.org', signature: good },
        { accountId: randomUUID(), userId, signature: good },
      ].map((body) => ({ service: 'identity', method: 'POST', path: '/v1/identify', headers: json, body: JSON.stringify(body) }));
    },
  },
};

function leadlineForgeries(path: string, body: string, secret: string): PublicRequest[] {
  const now = Math.floor(Date.now() / 1000);
  return [
    { signature: leadlineSignature('not-the-secret', body), body },
    { body },
    { signature: leadlineSignature(secret, body), body: `${body} ` },
    { signature: leadlineSignature(secret, body, now - 3600), body },
    { signature: 't=abc,v1=00', body },
  ].map(({ signature, body: sent }) => ({ service: 'ingestion', method: 'POST', path, headers: { ...json, ...(signature ? { 'x-leadline-signature': signature } : {}) }, body: sent }));
}

/**
 * Gives the account SMS, voice and email channels with their own secrets (besides its widget), waits until
 * ingestion routes them, and starts a visitor session on its widget: everything a public endpoint is called with.
 */
export async function signedChannels(stack: LeadlineStack, account: TestAccount, deviceId: string): Promise<Channels> {
  const tag = randomBytes(4).toString('hex');
  const number = () => `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const channels = {
    smsNumber: number(), smsToken: randomBytes(16).toString('hex'), voiceNumber: number(), voiceSecret: randomBytes(16).toString('hex'),
    email: `hello-${tag}@${account.name.toLowerCase()}.example`, emailSecret: randomBytes(16).toString('hex'),
  };
  const key = { authorization: `Bearer ${account.apiKey}` };
  const put = await stack.call('accounts', 'PUT', `/v1/accounts/${account.id}/channels`, key, { channels: [
    { kind: 'webchat', address: account.widgetKey },
    { kind: 'sms', address: channels.smsNumber, authToken: channels.smsToken },
    { kind: 'voice', address: channels.voiceNumber, authToken: channels.voiceSecret },
    { kind: 'email', address: channels.email, authToken: channels.emailSecret },
  ] });
  if (put.status !== 200) throw new Error(`channels of ${account.name} not set: ${put.status} ${put.text}`);
  const settings = await stack.call('accounts', 'GET', `/v1/accounts/${account.id}`, key);
  const identitySecret = (settings.json as { identitySecret: string }).identitySecret;
  await eventually(async () => {
    const [row] = await stack.run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${stack.run.schema('ingestion')}.channel_routes WHERE account_id = $1`, [account.id]);
    return row!.n === 4 ? true : undefined;
  }, 15_000, `ingestion to route ${account.name}'s channels`);
  const session = await stack.call('ingestion', 'POST', '/v1/webchat/sessions', {}, { widgetKey: account.widgetKey, deviceId });
  if (session.status !== 201) throw new Error(`no visitor session for ${account.name}: ${session.status} ${session.text}`);
  return {
    accountId: account.id, apiKey: account.apiKey, widgetKey: account.widgetKey, deviceId, identitySecret, ...channels,
    visitorSession: (session.json as { sessionToken: string }).sessionToken,
  };
}
