import {
  ContactCreatedEvent, ConversationAnalyzedEvent, ConversationIdleEvent, LeadCreatedEvent,
} from '@leadline/contracts';
import { startTelemetry, stopTelemetry } from '@leadline/observability';
import { awaitEvent, eventually, memberHeaders, operatorHeaders, startService, TestRun } from '@leadline/testing';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { accountsService } from '../services/accounts/src/accounts.service-definition';
import { extractionService } from '../services/extraction/src/extraction.service-definition';
import { identityService } from '../services/identity/src/identity.service-definition';
import { ingestionService } from '../services/ingestion/src/ingestion.service-definition';
import { leadsService } from '../services/leads/src/leads.service-definition';
import { notificationsService } from '../services/notifications/src/notifications.service-definition';

interface Json { [key: string]: unknown }

async function http(method: string, url: string, body?: unknown, accountId?: string): Promise<{ status: number; body: Json & Json[] }> {
  // Account creation is the operator's; everything else acts for the account; the widget is public.
  const credential = accountId ? memberHeaders(accountId) : url.endsWith('/v1/accounts') ? operatorHeaders() : {};
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...credential },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Json & Json[] };
}

describe('the first flow: a web chat message in, a stored "New Lead" notification out', () => {
  let run: TestRun;
  const apps: NestFastifyApplication[] = [];
  const urls: Record<string, string> = {};

  const spans = new InMemorySpanExporter();

  beforeAll(async () => {
    startTelemetry({ serviceName: 'leadline-e2e', traceExporter: spans });
    run = await TestRun.start();
    const definitions = [accountsService, ingestionService, extractionService, identityService, leadsService, notificationsService];
    for (const definition of definitions) {
      const started = await startService(run, definition as never, { IDLE_SCAN_INTERVAL_MS: '100' });
      apps.push(started.app);
      urls[definition.name] = started.url;
    }
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await run?.cleanup();
    await stopTelemetry();
  });

  it('captures John Smith, opens a New lead and tells the team', async () => {
    const widgetKey = `widget-${run.prefix}`;
    const created = await http('POST', `${urls['accounts']}/v1/accounts`, {
      name: 'Green Gardens', domain: 'greengardens.example', idleWindowSeconds: 1,
      channels: [{ kind: 'webchat', address: widgetKey }],
      members: [
        { email: 'ann@greengardens.example', name: 'Ann', role: 'admin', notificationPreference: 'all' },
        { email: 'bob@greengardens.example', name: 'Bob', role: 'agent', notificationPreference: 'off' },
      ],
    });
    expect(created.status).toBe(201);
    const accountId = created.body['id'] as string;
    const [ann] = (created.body['members'] as Json[]).filter((m) => m['email'] === 'ann@greengardens.example');

    // Ingestion learns the widget key from the account event.
    const deviceId = randomUUID();
    const text = "Hi, I'm John Smith. My email is john@email.com. I'd like a quote for landscaping.";
    const posted = await eventually(async () => {
      const r = await http('POST', `${urls['ingestion']}/v1/webchat/messages`, { widgetKey, deviceId, clientMessageId: 'c1', text });
      return r.status === 404 ? undefined : r;
    }, 15_000, 'ingestion to know the widget');
    expect(posted.status).toBe(202);
    const conversationId = posted.body['conversationId'] as string;

    // Sent twice by a flaky widget: stored once.
    const repeat = await http('POST', `${urls['ingestion']}/v1/webchat/messages`, { widgetKey, deviceId, clientMessageId: 'c1', text });
    expect(repeat.body).toMatchObject({ conversationId, duplicate: true });

    const idle = await awaitEvent(run.js, run.naming(), ConversationIdleEvent, (e) => e.conversationId === conversationId);
    expect(idle.data).toMatchObject({ accountId, cycle: 1, channel: 'webchat', capture: { captureLeads: true } });
    expect(idle.data.transcript).toEqual([expect.objectContaining({ author: 'visitor', text })]);

    const analyzed = await awaitEvent(run.js, run.naming(), ConversationAnalyzedEvent, (e) => e.conversationId === conversationId);
    expect(analyzed.data.fields.firstName?.value).toBe('John');
    expect(analyzed.data.fields.lastName?.value).toBe('Smith');
    expect(analyzed.data.fields.email?.value).toBe('john@email.com');
    expect(analyzed.data.summary).toMatch(/landscaping/i);

    const contactCreated = await awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e) => e.conversationId === conversationId);
    expect(contactCreated.data.contact).toMatchObject({ displayName: 'John Smith', emails: ['john@email.com'], role: 'lead' });
    const contactId = contactCreated.data.contactId;

    const leadCreated = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.contactId === contactId);
    expect(leadCreated.data).toMatchObject({ status: 'new', reason: 'new_contact', conversationId });
    // One trace follows the conversation from the idle event through every hop to the lead.
    const traceId = (event: { headers: Record<string, string> }) => event.headers['traceparent']?.split('-')[1];
    expect(traceId(idle)).toMatch(/^[0-9a-f]{32}$/);
    for (const hop of [analyzed, contactCreated, leadCreated]) expect(traceId(hop)).toBe(traceId(idle));

    const notifications = await eventually(async () => {
      const r = await http('GET', `${urls['notifications']}/v1/notifications`, undefined, accountId);
      return r.body.length > 0 ? r.body : undefined;
    }, 15_000, 'the New Lead notification');
    expect(notifications).toHaveLength(1); // Bob's preference is off
    expect(notifications[0]).toMatchObject({
      memberId: ann!['id'], kind: 'new_lead', title: 'New Lead: John Smith', conversationId, contactId,
      body: expect.objectContaining({
        summary: expect.stringMatching(/landscaping/i),
        conversationUrl: expect.stringContaining(`/conversations/${conversationId}`),
        contact: expect.objectContaining({ firstName: 'John', lastName: 'Smith', emails: ['john@email.com'] }),
      }),
    });

    // Every stored row along the way.
    const messages = await run.query(`SELECT author, text FROM ${run.schema('ingestion')}.messages WHERE conversation_id = $1`, [conversationId]);
    expect(messages).toEqual([{ author: 'visitor', text }]);
    const conversation = await eventually(async () => {
      const [row] = await run.query<{ contact_id: string | null }>(`SELECT contact_id FROM ${run.schema('ingestion')}.conversations WHERE id = $1`, [conversationId]);
      return row?.contact_id ? row : undefined;
    }, 10_000, 'the conversation to be linked');
    expect(conversation.contact_id).toBe(contactId);
    const identifiers = await run.query(`SELECT kind, value FROM ${run.schema('identity')}.identifiers WHERE contact_id = $1 ORDER BY kind`, [contactId]);
    expect(identifiers).toEqual([{ kind: 'device', value: deviceId }, { kind: 'email', value: 'john@email.com' }]);
    const leads = await http('GET', `${urls['leads']}/v1/leads`, undefined, accountId);
    expect(leads.body).toEqual([expect.objectContaining({ contactId, status: 'new', active: true, displayName: 'John Smith', scoreSource: 'ai' })]);
    const detail = await http('GET', `${urls['ingestion']}/v1/conversations/${conversationId}`, undefined, accountId);
    expect(detail.body).toMatchObject({ contactId, events: [expect.objectContaining({ kind: 'linked' })] });
  });
});
