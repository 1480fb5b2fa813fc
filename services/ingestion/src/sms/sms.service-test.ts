import { ConversationReopenedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { awaitEvent, memberHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';

const PUBLIC = 'https://hooks.example.com/ingestion';
const PATH = '/v1/sms/twilio';

type Params = Record<string, string | string[]>;

/**
 * Twilio's algorithm as ../shared/eval/twilio/signature_vectors.json states it, written out independently of the
 * code under test: base64(HMAC-SHA1(auth token, URL + for each key sorted: for each value sorted and unique: key + value)).
 */
function twilioSignature(authToken: string, url: string, params: Params): string {
  const data = Object.keys(params).sort().reduce((acc, key) => {
    const values = [...new Set(([] as string[]).concat(params[key]!))].sort();
    return acc + values.map((value) => key + value).join('');
  }, url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

interface Vector { name: string; signed_url?: string; params: 'default_params' | Params; body?: string; signature: string; valid: boolean }
const vectors = JSON.parse(readFileSync(resolve(__dirname, '../../../../../shared/eval/twilio/signature_vectors.json'), 'utf8')) as {
  auth_token: string; default_params: Params; vectors: Vector[];
};
/** Twilio's documented inbound SMS fields (placeholder values), as its webhook posts them. */
const documented = JSON.parse(readFileSync(resolve(__dirname, '../../../../../shared/eval/twilio/inbound_sms_webhook_params.json'), 'utf8')) as {
  example_form_body_fields: Record<string, string>;
};

/** A form post whose request line carries the path exactly as given (fetch would percent-encode an apostrophe). */
function postExact(base: string, path: string, body: string, headers: Record<string, string>): Promise<number> {
  const target = new URL(base);
  return new Promise((resolvePost, reject) => {
    const request = httpRequest({ host: target.hostname, port: target.port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => { response.resume(); response.on('end', () => resolvePost(response.statusCode ?? 0)); });
    request.on('error', reject);
    request.end(body);
  });
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

  const form = (overrides: Record<string, string> = {}): Record<string, string> => {
    const sid = `SM${randomBytes(16).toString('hex')}`;
    return {
      ...documented.example_form_body_fields, SmsMessageSid: sid, SmsSid: sid, MessageSid: sid,
      AccountSid: `AC${randomBytes(16).toString('hex')}`, From: '+14155550123', To: number,
      Body: 'Hi, this is Jane Doe, call me at 415-555-0199', ...overrides,
    };
  };

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

  describe('in the situations of every vector of signature_vectors.json', () => {
    it('signs as every vector says (the signer these tests use, checked against the vectors themselves)', () => {
      const formVectors = vectors.vectors.filter((v) => v.body === undefined && v.signed_url !== undefined);
      expect(formVectors.length).toBeGreaterThanOrEqual(10);
      for (const vector of formVectors) {
        const params = vector.params === 'default_params' ? vectors.default_params : vector.params;
        expect([vector.name, twilioSignature(vectors.auth_token, vector.signed_url!, params)]).toEqual([vector.name, vector.signature]);
      }
    });

    const stored = (sid: string) => ingestionRows(run, 'SELECT id FROM ingestion.messages WHERE provider_message_id = $1', [sid]);

    it('accepts repeated parameters, signed sorted and de-duplicated (array_param, duplicate_values_sorted_and_deduped)', async () => {
      const params = form({ From: '+14155550130' });
      const body = new URLSearchParams(params);
      for (const value of ['+1415xxxxxxx', '+1325xxxxxxx', '+1325xxxxxxx']) body.append('MessagingBinding.Address', value);
      const signature = twilioSignature(authToken, `${PUBLIC}${PATH}`, { ...params, 'MessagingBinding.Address': ['+1415xxxxxxx', '+1325xxxxxxx'] });
      const answer = await send(`${url}${PATH}`, { body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } });
      expect(answer.status).toBe(200);
      expect(await stored(params['MessageSid']!)).toHaveLength(1);
    });

    it('accepts a query string with an apostrophe, signed percent-encoded (special_chars_in_query)', async () => {
      const params = form({ From: '+14155550131' });
      const signature = twilioSignature(authToken, `${PUBLIC}${PATH}?foo=1&bar=2&Body=It%27s+amazing`, params);
      const status = await postExact(url, `${PATH}?foo=1&bar=2&Body=It's+amazing`, new URLSearchParams(params).toString(),
        { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature });
      expect(status).toBe(200);
      expect(await stored(params['MessageSid']!)).toHaveLength(1);
    });

    it('accepts a URL signed with its credentials, which arrive as Basic auth (url_with_credentials, ..._port_443)', async () => {
      const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
      const post = async (signedUrl: string, credentials: string) => {
        const params = form({ From: '+14155550132' });
        const answer = await send(`${url}${PATH}`, { body: new URLSearchParams(params).toString(), headers: {
          'content-type': 'application/x-www-form-urlencoded', authorization: basic(credentials),
          'x-twilio-signature': twilioSignature(authToken, signedUrl, params),
        } });
        return { status: answer.status, rows: await stored(params['MessageSid']!) };
      };
      expect(await post('https://user:pass@hooks.example.com/ingestion/v1/sms/twilio', 'user:pass')).toMatchObject({ status: 200, rows: [expect.anything()] });
      expect(await post('https://user:pass@hooks.example.com:443/ingestion/v1/sms/twilio', 'user:pass')).toMatchObject({ status: 200 });
      expect(await post('https://user@hooks.example.com/ingestion/v1/sms/twilio', 'user')).toMatchObject({ status: 200 });
      // Signed for other credentials than the ones sent: refused.
      expect(await post('https://user:pass@hooks.example.com/ingestion/v1/sms/twilio', 'user:other')).toEqual({ status: 403, rows: [] });
    });
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
