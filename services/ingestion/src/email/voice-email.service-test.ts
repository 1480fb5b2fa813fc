import { ConversationIdleEvent, ConversationReopenedEvent } from '@leadline/contracts';
import { awaitEvent, memberHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { aChannel, anAccount, announceAccount, ingestionRows, send, startIngestion } from '../testing/ingestion-fixture';

/** The documented X-Leadline-Signature, computed here independently of the code under test. */
function leadlineSignature(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

describe('voice transcripts and email', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const voiceNumber = '+14155550900';
  const inbox = `hello-${randomUUID().slice(0, 8)}@greengardens.example`;
  const voiceSecret = randomBytes(16).toString('hex');
  const emailSecret = randomBytes(16).toString('hex');
  const smsToken = randomBytes(16).toString('hex');
  const smsNumber = '+14155550901';

  let accountId: string;

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startIngestion(run));
    const account = anAccount(run, { idleWindowSeconds: 1, channels: [
      aChannel('voice', voiceNumber, voiceSecret), aChannel('email', inbox, emailSecret), aChannel('sms', smsNumber, smsToken),
    ] });
    accountId = account.accountId;
    await announceAccount(run, account);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  describe('voice', () => {
    const transcript = (callId: string, turns: { speaker: string; text: string; at: string }[]) =>
      JSON.stringify({ to: voiceNumber, callId, from: '+14155550177', turns });
    const post = (body: string, signature?: string) => send(`${url}/v1/voice/transcripts`, {
      body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-leadline-signature': signature } : {}) },
    });

    it('makes one conversation per call with the caller\'s and the AI\'s turns in order; a resent transcript adds only new turns', async () => {
      const callId = `CA${randomBytes(8).toString('hex')}`;
      const turns = [
        { speaker: 'ai', text: 'Green Gardens, how can I help?', at: '2026-11-21T10:00:00Z' },
        { speaker: 'caller', text: 'Hi, I am Tom Baker, I need a gardener.', at: '2026-11-21T10:00:04Z' },
      ];
      const body = transcript(callId, turns);
      const first = await post(body, leadlineSignature(voiceSecret, body));
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ stored: 2, duplicates: 0 });
      const longer = transcript(callId, [...turns, { speaker: 'ai', text: 'Sure, what is your postcode?', at: '2026-11-21T10:00:09Z' }]);
      const second = await post(longer, leadlineSignature(voiceSecret, longer));
      expect(second.body).toEqual({ conversationId: first.body['conversationId'], stored: 1, duplicates: 2 });

      const idle = await awaitEvent(run.js, run.naming(), ConversationIdleEvent, (e) => e.conversationId === first.body['conversationId']);
      expect(idle.data.channel).toBe('voice');
      expect(idle.data.transcript.map((m) => [m.author, m.sentAt])).toEqual([
        ['ai', '2026-11-21T10:00:00.000Z'], ['visitor', '2026-11-21T10:00:04.000Z'], ['ai', '2026-11-21T10:00:09.000Z'],
      ]);
      expect(idle.data.identifiers).toEqual([{ kind: 'phone', value: '+14155550177', verified: false }]);
    });

    it('reopens a closed call\'s conversation on a new caller turn only, not on the AI\'s next turn', async () => {
      const callId = `CA${randomBytes(8).toString('hex')}`;
      const turns = [{ speaker: 'caller', text: 'Hello?', at: '2026-11-21T11:00:00Z' }];
      const body = transcript(callId, turns);
      const first = await post(body, leadlineSignature(voiceSecret, body));
      const conversationId = first.body['conversationId'] as string;
      const closed = await send(`${url}/v1/conversations/${conversationId}/close`, { json: {}, headers: memberHeaders(accountId) });
      expect(closed.status).toBe(200);
      const state = async () => (await ingestionRows<{ status: string }>(run, 'SELECT status FROM ingestion.conversations WHERE id = $1', [conversationId]))[0]!.status;
      const reopenNotes = () => ingestionRows(run, `SELECT id FROM ingestion.conversation_events WHERE conversation_id = $1 AND kind = 'reopened'`, [conversationId]);

      const aiTurn = transcript(callId, [...turns, { speaker: 'ai', text: 'Sorry, we are closed today.', at: '2026-11-21T11:00:03Z' }]);
      expect((await post(aiTurn, leadlineSignature(voiceSecret, aiTurn))).body).toMatchObject({ stored: 1, duplicates: 1 });
      expect(await state()).toBe('closed');
      expect(await reopenNotes()).toEqual([]);

      const callerTurn = transcript(callId, [...JSON.parse(aiTurn).turns, { speaker: 'caller', text: 'Tomorrow then?', at: '2026-11-21T11:00:07Z' }]);
      expect((await post(callerTurn, leadlineSignature(voiceSecret, callerTurn))).body).toMatchObject({ stored: 1, duplicates: 2 });
      const reopened = await awaitEvent(run.js, run.naming(), ConversationReopenedEvent, (e) => e.conversationId === conversationId);
      expect(reopened.data.channel).toBe('voice');
      expect(await state()).toBe('open');
      expect(await reopenNotes()).toHaveLength(1);
    });

    it('answers 403 to a missing, wrong or stale signature; 404 for an unknown number; 400 for a bad transcript', async () => {
      const body = transcript(`CA${randomBytes(8).toString('hex')}`, [{ speaker: 'caller', text: 'hello', at: '2026-11-21T10:00:00Z' }]);
      expect((await post(body)).status).toBe(403);
      expect((await post(body, leadlineSignature('wrong-secret', body))).status).toBe(403);
      expect((await post(body, leadlineSignature(voiceSecret, body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(403);
      expect((await post(`${body} `, leadlineSignature(voiceSecret, body))).status).toBe(403);
      const unknown = JSON.stringify({ ...JSON.parse(body), to: '+19990000000' });
      expect((await post(unknown, leadlineSignature(voiceSecret, unknown))).status).toBe(404);
      const bad = JSON.stringify({ to: voiceNumber, callId: 'c', from: '+1', turns: [{ speaker: 'dog', text: '', at: 'yesterday' }] });
      const answer = await post(bad, leadlineSignature(voiceSecret, bad));
      expect(answer.status).toBe(400);
      expect((answer.body['fields'] as { field: string }[]).map((f) => f.field).sort()).toEqual(['turns.0.at', 'turns.0.speaker', 'turns.0.text']);
    });
  });

  describe('email', () => {
    const raw = (lines: string[]) => lines.join('\r\n');
    const postRaw = (body: string, secret = emailSecret) => send(`${url}/v1/email/inbound`, {
      body, headers: { 'content-type': 'message/rfc822', 'x-leadline-signature': leadlineSignature(secret, body) },
    });

    it('keeps the new text apart from quoted history and signature, threads replies and ignores a repeated Message-ID', async () => {
      const rootId = `<${randomUUID()}@mail.example.com>`;
      const first = raw([
        'From: Jane Doe <Jane.Doe@Example.com>', `To: Green Gardens <${inbox}>`, 'Subject: Quote please',
        `Message-ID: ${rootId}`, 'Date: Fri, 21 Nov 2026 10:00:00 +0000', 'Content-Type: text/plain; charset=utf-8', '',
        'Hello, I would like a quote for a garden in 94110.', '', '--', 'Jane Doe', 'Acme Inc',
      ]);
      const stored = await postRaw(first);
      expect(stored.status).toBe(202);
      expect(stored.body).toMatchObject({ duplicate: false });
      expect((await postRaw(first)).body).toMatchObject({ duplicate: true, conversationId: stored.body['conversationId'] });

      const reply = raw([
        'From: jane.doe@example.com', `To: ${inbox}`, 'Subject: Re: Quote please', `Message-ID: <${randomUUID()}@mail.example.com>`,
        `In-Reply-To: <agent-reply@greengardens.example>`, `References: ${rootId} <agent-reply@greengardens.example>`,
        'Content-Type: text/plain; charset=utf-8', '',
        'Tuesday works for me.', '',
        'On Fri, Nov 21, 2026 at 11:00 AM Green Gardens <hello@greengardens.example> wrote:', '> When can we visit?',
      ]);
      const threaded = await postRaw(reply);
      expect(threaded.body['conversationId']).toBe(stored.body['conversationId']);

      const messages = await ingestionRows<{ text: string; quoted_text: string | null; signature_text: string | null; subject: string }>(run,
        'SELECT text, quoted_text, signature_text, subject FROM ingestion.messages WHERE conversation_id = $1 ORDER BY created_at',
        [stored.body['conversationId']]);
      expect(messages).toEqual([
        { text: 'Hello, I would like a quote for a garden in 94110.', quoted_text: null, signature_text: '--\nJane Doe\nAcme Inc', subject: 'Quote please' },
        { text: 'Tuesday works for me.', quoted_text: expect.stringContaining('> When can we visit?'), signature_text: null, subject: 'Re: Quote please' },
      ]);
      const [conversation] = await ingestionRows<{ identifiers: unknown }>(run, 'SELECT identifiers FROM ingestion.conversations WHERE id = $1', [stored.body['conversationId']]);
      expect(conversation!.identifiers).toEqual([{ kind: 'email', value: 'jane.doe@example.com', verified: true }]);
    });

    it('takes Postmark\'s inbound JSON with Basic credentials', async () => {
      const json = {
        FromFull: { Email: 'sam@example.org', Name: 'Sam' }, From: 'sam@example.org', ToFull: [{ Email: inbox }], Subject: 'Hedges',
        MessageID: randomUUID(), TextBody: 'Do you trim hedges?', Date: 'Fri, 21 Nov 2026 10:00:00 +0000',
        Headers: [{ Name: 'Message-ID', Value: `<${randomUUID()}@example.org>` }], MailboxHash: '', Tag: '',
      };
      const basic = (password: string) => `Basic ${Buffer.from(`postmark:${password}`).toString('base64')}`;
      expect((await send(`${url}/v1/email/inbound`, { json, headers: { authorization: basic('nope') } })).status).toBe(403);
      const stored = await send(`${url}/v1/email/inbound`, { json, headers: { authorization: basic(emailSecret) } });
      expect(stored.status).toBe(202);
      const [message] = await ingestionRows<{ text: string; provider_message_id: string }>(run,
        'SELECT text, provider_message_id FROM ingestion.messages WHERE conversation_id = $1', [stored.body['conversationId']]);
      expect(message).toEqual({ text: 'Do you trim hedges?', provider_message_id: json.Headers[0]!.Value.slice(1, -1) });
    });

    it('takes an HTML-only mail from Postmark\'s JSON as its text', async () => {
      const json = {
        FromFull: { Email: 'html@example.org' }, ToFull: [{ Email: inbox }], Subject: 'Hedges', TextBody: '',
        HtmlBody: '<html><body><p>Do you trim <b>hedges</b> in 94110?</p><img src="cid:logo"></body></html>',
        Headers: [{ Name: 'Message-ID', Value: `<${randomUUID()}@example.org>` }],
      };
      const body = JSON.stringify(json);
      const stored = await send(`${url}/v1/email/inbound`, {
        body, headers: { 'content-type': 'application/json', 'x-leadline-signature': leadlineSignature(emailSecret, body) },
      });
      expect(stored.status).toBe(202);
      const [message] = await ingestionRows<{ text: string }>(run, 'SELECT text FROM ingestion.messages WHERE conversation_id = $1',
        [stored.body['conversationId']]);
      expect(message!.text).toBe('Do you trim hedges in 94110?');
    });

    it('takes a mail with large attachments in either form, and answers 413 above the email limit', async () => {
      const attachment = randomBytes(3 * 1024 * 1024).toString('base64'); // 3 MB, 4 MB encoded: over the 1 MB default
      const json = {
        FromFull: { Email: 'big@example.org' }, ToFull: [{ Email: inbox }], Subject: 'Plans', TextBody: 'The plans are attached.',
        Headers: [{ Name: 'Message-ID', Value: `<${randomUUID()}@example.org>` }],
        Attachments: [{ Name: 'plans.pdf', ContentType: 'application/pdf', Content: attachment, ContentLength: 3 * 1024 * 1024 }],
      };
      const body = JSON.stringify(json);
      const stored = await send(`${url}/v1/email/inbound`, {
        body, headers: { 'content-type': 'application/json', 'x-leadline-signature': leadlineSignature(emailSecret, body) },
      });
      expect(stored.status).toBe(202);
      const [message] = await ingestionRows<{ attachments: unknown }>(run, 'SELECT attachments FROM ingestion.messages WHERE conversation_id = $1',
        [stored.body['conversationId']]);
      expect(message!.attachments).toEqual([{ name: 'plans.pdf', contentType: 'application/pdf' }]);

      const mime = raw([
        'From: big@example.org', `To: ${inbox}`, `Message-ID: <${randomUUID()}@example.org>`, 'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'Plans attached.',
        '--b', 'Content-Type: application/pdf; name="plans.pdf"', 'Content-Transfer-Encoding: base64', '', attachment, '--b--',
      ]);
      expect((await postRaw(mime)).status).toBe(202);
      const tooBig = `${mime}\r\n${'x'.repeat(14 * 1024 * 1024)}`;
      expect((await postRaw(tooBig)).status).toBe(413);
      // Other endpoints keep the 1 MB default.
      const transcriptBody = JSON.stringify({ to: voiceNumber, callId: 'big', from: '+14155550177', turns: [{ speaker: 'caller', text: 'x', at: '2026-11-21T10:00:00Z' }], pad: attachment });
      expect((await send(`${url}/v1/voice/transcripts`, { body: transcriptBody, headers: { 'content-type': 'application/json' } })).status).toBe(413);
    });

    it('answers 400 for mail without Message-ID, 404 for an address no account has, 403 for a bad signature', async () => {
      const noId = raw(['From: a@example.com', `To: ${inbox}`, 'Subject: x', '', 'hello']);
      const answer = await postRaw(noId);
      expect(answer.status).toBe(400);
      expect(answer.body['fields']).toEqual([{ field: 'Message-ID', reason: 'is required: every email must have its Message-ID' }]);
      const elsewhere = raw(['From: a@example.com', 'To: nobody@elsewhere.example', `Message-ID: <${randomUUID()}@x>`, '', 'hello']);
      expect((await postRaw(elsewhere)).status).toBe(404);
      const good = raw(['From: a@example.com', `To: ${inbox}`, `Message-ID: <${randomUUID()}@x>`, '', 'hello']);
      expect((await postRaw(good, 'wrong')).status).toBe(403);
    });
  });

  it('checks Twilio signatures against the request\'s own URL when PUBLIC_WEBHOOK_URL is unset', async () => {
    const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, From: '+14155550188', To: smsNumber, Body: 'hi', NumMedia: '0' };
    const signed = Object.keys(params).sort().reduce((acc, key) => acc + key + params[key as keyof typeof params], `${url}/v1/sms/twilio`);
    const answer = await send(`${url}/v1/sms/twilio`, {
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': createHmac('sha1', smsToken).update(signed).digest('base64') },
    });
    expect(answer.status).toBe(200);
  });
});
