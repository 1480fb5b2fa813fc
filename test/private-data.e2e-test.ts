import { flushTelemetry, instrumentLoadedModules, setLogDestination, startTelemetry, stopTelemetry } from '@leadline/observability';
import { eventually, testOperatorKey } from '@leadline/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { LeadlineStack, type Json } from './support/leadline-stack';
import { identitySignature, PUBLIC_CASES, signedChannels } from './support/public-requests';

/**
 * Secrets (API keys, session tokens, the operator key, identity secrets, Twilio auth tokens and signatures,
 * webhook secrets) never reach a log line or a span; personal data (names, emails, phones, message text) stays
 * out of both unless an operator sets LOG_PERSONAL_DATA=true. Every service runs at LOG_LEVEL=trace with its logs
 * captured, traces recorded in memory, through a flow that carries all of them: account and key creation, a
 * session, a web chat conversation to a lead and a notification, a signed SMS, an identify call, searches by
 * email and phone, and refused credentials.
 */
describe('secrets and personal data in logs and traces', () => {
  let stack: LeadlineStack;
  const exporter = new InMemorySpanExporter();
  const logs: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _encoding, done) { logs.push(chunk.toString()); done(); } });
  const originalPersonalData = process.env['LOG_PERSONAL_DATA'];

  beforeAll(async () => {
    startTelemetry({ serviceName: 'leadline-e2e', traceExporter: exporter });
    instrumentLoadedModules(require);
    setLogDestination(sink);
    stack = await LeadlineStack.start(() => ({ LOG_LEVEL: 'trace' }));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    setLogDestination(undefined);
    await stopTelemetry();
    if (originalPersonalData === undefined) delete process.env['LOG_PERSONAL_DATA'];
    else process.env['LOG_PERSONAL_DATA'] = originalPersonalData;
  });

  async function spanAttributes(): Promise<string> {
    await flushTelemetry();
    return JSON.stringify(exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
  }

  it('writes none of them, anywhere, by default', async () => {
    delete process.env['LOG_PERSONAL_DATA'];
    const account = await stack.createAccount('Private');
    const key = { authorization: `Bearer ${account.apiKey}` };
    const email = `zelda.${randomBytes(3).toString('hex')}@example.org`;
    const phone = '+14155550176';
    const text = `Hi, I'm Zelda Quarrington, email ${email}, phone (415) 555-0176. My gate code is 4471.`;
    const data = await stack.converse(account, email);
    // converse() writes its own line; this one carries the name, the phone and a phrase of the visitor's own.
    const said = await stack.call('ingestion', 'POST', '/v1/webchat/messages', {}, { widgetKey: account.widgetKey, deviceId: data.deviceId, clientMessageId: 'c2', text });
    expect(said.status).toBe(202);
    const session = await stack.call('accounts', 'POST', '/v1/sessions', key, { memberId: account.admin });
    const sessionToken = (session.json as Json)['token'] as string;
    const apiKey = await stack.call('accounts', 'POST', `/v1/accounts/${account.id}/api-keys`, key, { name: 'CRM' });
    const channels = await signedChannels(stack, account, data.deviceId);
    const sms = PUBLIC_CASES['POST ingestion/v1/sms/twilio']!.signed(channels, channels, stack.urls['ingestion']!);
    expect((await stack.call('ingestion', 'POST', sms.path, sms.headers, sms.body)).status).toBe(200);
    const userId = `user-${randomUUID()}`;
    const identified = await stack.call('identity', 'POST', '/v1/identify', {}, { accountId: account.id, userId, email, signature: identitySignature(channels.identitySecret, userId, email) });
    expect(identified.status).toBe(200);
    const bearer = { authorization: `Bearer ${sessionToken}` };
    expect((await stack.call('identity', 'GET', `/v1/contacts?email=${encodeURIComponent(email)}`, bearer)).status).toBe(200);
    expect((await stack.call('identity', 'GET', `/v1/contacts?phone=${encodeURIComponent(phone)}`, bearer)).status).toBe(200);
    // Refused credentials: the value sent must not be echoed into a log either.
    expect((await stack.call('leads', 'GET', '/v1/leads', { authorization: `Bearer ${sessionToken}tampered` })).status).toBe(401);
    // The last character is changed to another one (a key that already ends in "A" gets "B").
    const alteredKey = `${account.apiKey.slice(0, -1)}${account.apiKey.endsWith('A') ? 'B' : 'A'}`;
    expect((await stack.call('leads', 'GET', '/v1/leads', { authorization: `Bearer ${alteredKey}` })).status).toBe(401);
    // The second message's idle cycle runs through extraction, identity (a summary), leads and notifications too.
    await eventually(async () => ((await stack.run.query(`SELECT 1 FROM ${stack.run.schema('ingestion')}.conversations WHERE id = $1 AND idle_cycle >= 2`, [data.conversationId])).length > 0 ? true : undefined), 30_000, 'the second idle cycle');
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const secrets: Record<string, string> = {
      'API key': account.apiKey, 'second API key': (apiKey.json as Json)['key'] as string, 'session token': sessionToken,
      'operator key': testOperatorKey.key, 'identity secret': channels.identitySecret, 'Twilio auth token': channels.smsToken,
      'Twilio signature': sms.headers['x-twilio-signature']!, 'voice secret': channels.voiceSecret, 'email secret': channels.emailSecret,
      'visitor session': channels.visitorSession,
    };
    const personal: Record<string, string> = {
      email, 'email (URL-encoded)': encodeURIComponent(email), phone, 'phone as written': '555-0176', name: 'Quarrington',
      'message text': 'gate code is 4471', 'member email': `admin@${account.name.toLowerCase()}.example`,
    };
    const logged = logs.join('');
    const traced = await spanAttributes();
    expect(logged.length).toBeGreaterThan(1000); // services did log (trace level): the checks below are not vacuous
    expect(exporter.getFinishedSpans().length).toBeGreaterThan(50);
    const found = Object.entries({ ...secrets, ...personal }).flatMap(([what, value]) => [
      ...(logged.includes(value) ? [`logs hold the ${what}`] : []), ...(traced.includes(value) ? [`spans hold the ${what}`] : []),
    ]);
    expect(found).toEqual([]);
  }, 180_000);

  it('lets query strings (searches by email) into spans only when an operator sets LOG_PERSONAL_DATA=true', async () => {
    const account = await stack.createAccount('Operator');
    const email = `yara.${randomBytes(3).toString('hex')}@example.org`;
    const search = () => stack.call('identity', 'GET', `/v1/contacts?email=${encodeURIComponent(email)}`, { authorization: `Bearer ${account.apiKey}` });
    delete process.env['LOG_PERSONAL_DATA'];
    expect((await search()).status).toBe(200);
    expect(await spanAttributes()).not.toContain(encodeURIComponent(email));
    process.env['LOG_PERSONAL_DATA'] = 'true';
    expect((await search()).status).toBe(200);
    expect(await spanAttributes()).toContain(encodeURIComponent(email));
    // Secrets stay out even then: the credential is a header, and headers are never recorded.
    expect(await spanAttributes()).not.toContain(account.apiKey);
  }, 120_000);
});
