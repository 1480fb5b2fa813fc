import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { awaitEvent, memberHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';

const PUBLIC = 'https://hooks.example.com/ingestion';
const PATH = '/v1/sms/twilio';

/** Twilio's algorithm, written out independently of the code under test. */
function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

describe('SMS (Twilio inbound webhook)', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let account: ReturnType<typeof anAccount>;
  const number = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const authToken = randomBytes(16).toString('hex');

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startIngestion(run, { PUBLIC_WEBHOOK_URL: PUBLIC }));
    account = anAccount(run, { channels: [aChannel('sms', number, authToken)] });
    await announceAccount(run, account);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const form = (overrides: Record<string, string> = {}): Record<string, string> => ({
    ToCountry: 'US', SmsMessageSid: 'x', NumMedia: '0', SmsStatus: 'received', NumSegments: '1', ApiVersion: '2010-04-01',
    AccountSid: `AC${randomBytes(16).toString('hex')}`, MessageSid: `SM${randomBytes(16).toString('hex')}`,
    From: '+14155550123', To: number, Body: 'Hi, this is Jane Doe, call me at 415-555-0199', ...overrides,
  });

  const post = (params: Record<string, string>, signature: string | undefined) => send(`${url}${PATH}`, {
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
  });

  it('stores a signed message with its media, answers empty TwiML, and ignores a repeated MessageSid', async () => {
    const params = form({ NumMedia: '2', MediaUrl0: 'https://api.twilio.com/media/0', MediaContentType0: 'image/jpeg', MediaUrl1: 'https://api.twilio.com/media/1' });
    const signature = twilioSignature(authToken, `${PUBLIC}${PATH}`, params);
    const answer = await post(params, signature);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/xml');
    expect(answer.text).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect((await post(params, signature)).status).toBe(200);

    const rows = await ingestionRows<{ text: string; attachments: unknown; conversation_id: string }>(run,
      'SELECT text, attachments, conversation_id FROM ingestion.messages WHERE provider_message_id = $1', [params['MessageSid']]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ text: params['Body'], attachments: [
      { url: 'https://api.twilio.com/media/0', contentType: 'image/jpeg' }, { url: 'https://api.twilio.com/media/1' },
    ] });
    const [conversation] = await ingestionRows<{ identifiers: unknown; visitor_key: string; account_id: string }>(run,
      'SELECT identifiers, visitor_key, account_id FROM ingestion.conversations WHERE id = $1', [rows[0]!.conversation_id]);
    expect(conversation).toEqual({ identifiers: [{ kind: 'phone', value: '+14155550123', verified: false }], visitor_key: '+14155550123', account_id: account.accountId });
    const event = await awaitEvent(run.js, run.naming(), MessageReceivedEvent, (e) => e.conversationId === rows[0]!.conversation_id);
    expect(event.data).toMatchObject({ channel: 'sms', author: 'visitor' });
  });

  it('accepts the signature Twilio made over the URL with its default port', async () => {
    const params = form({ From: '+14155550124' });
    const answer = await post(params, twilioSignature(authToken, `https://hooks.example.com:443/ingestion${PATH}`, params));
    expect(answer.status).toBe(200);
  });

  it('answers 403 to a bad or missing signature and stores nothing', async () => {
    const params = form({ From: '+14155550125' });
    expect((await post(params, twilioSignature('another-token', `${PUBLIC}${PATH}`, params))).status).toBe(403);
    expect((await post(params, twilioSignature(authToken, `http://127.0.0.1${PATH}`, params))).status).toBe(403);
    expect((await post({ ...params, Body: 'changed' }, twilioSignature(authToken, `${PUBLIC}${PATH}`, params))).status).toBe(403);
    expect((await post(params, undefined)).status).toBe(403);
    expect(await ingestionRows(run, 'SELECT id FROM ingestion.conversations WHERE visitor_key = $1', ['+14155550125'])).toEqual([]);
  });

  it('answers 404 for a number no account has, 400 naming missing fields', async () => {
    const unknown = form({ To: '+19995550000' });
    expect((await post(unknown, twilioSignature(authToken, `${PUBLIC}${PATH}`, unknown))).status).toBe(404);
    const params = form();
    delete params['From'];
    const bad = await post(params, twilioSignature(authToken, `${PUBLIC}${PATH}`, params));
    expect(bad.status).toBe(400);
    expect(bad.body['fields']).toEqual([{ field: 'From', reason: 'is required (one value)' }]);
    const json = await send(`${url}${PATH}`, { json: form() });
    expect(json.status).toBe(400);
  });

  it('reopens a closed conversation on the next message from the same number', async () => {
    const first = form({ From: '+14155550126' });
    await post(first, twilioSignature(authToken, `${PUBLIC}${PATH}`, first));
    const [row] = await ingestionRows<{ id: string }>(run, 'SELECT id FROM ingestion.conversations WHERE visitor_key = $1', ['+14155550126']);
    const closed = await send(`${url}/v1/conversations/${row!.id}/close`, { json: { reason: 'handled' }, headers: memberHeaders(account.accountId) });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed' });
    const second = form({ From: '+14155550126', Body: 'one more thing' });
    await post(second, twilioSignature(authToken, `${PUBLIC}${PATH}`, second));
    const reopened = await awaitEvent(run.js, run.naming(), ConversationReopenedEvent, (e) => e.conversationId === row!.id);
    expect(reopened.data.channel).toBe('sms');
    const [after] = await ingestionRows<{ status: string }>(run, 'SELECT status FROM ingestion.conversations WHERE id = $1', [row!.id]);
    expect(after!.status).toBe('open');
  });
});
