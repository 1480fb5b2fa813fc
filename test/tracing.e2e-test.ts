import { LeadCreatedEvent } from '@leadline/contracts';
import { findSamples, flushTelemetry, instrumentLoadedModules, parsePrometheusText, startTelemetry, stopTelemetry } from '@leadline/observability';
import { awaitEvent, eventually, memberHeaders, operatorHeaders, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { accountsService } from '../services/accounts/src/accounts.service-definition';
import { extractionService } from '../services/extraction/src/extraction.service-definition';
import { identityService } from '../services/identity/src/identity.service-definition';
import { ingestionService } from '../services/ingestion/src/ingestion.service-definition';
import { leadsService } from '../services/leads/src/leads.service-definition';
import { notificationsService } from '../services/notifications/src/notifications.service-definition';
import { SmtpInbox } from '../services/notifications/src/test-support/smtp-inbox';
import { WebhookReceiver } from '../services/notifications/src/test-support/webhook-receiver';
import { conversationTrail } from '../tools/leadline/src/trail.command';

interface Json { [key: string]: unknown }

async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json & Json[] }> {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Json & Json[] };
}

/** The spans of one run, navigable by parent and child. */
class SpanTree {
  constructor(private readonly spans: ReadableSpan[]) {}

  find(what: string, predicate: (span: ReadableSpan) => boolean): ReadableSpan[] {
    const found = this.spans.filter(predicate);
    if (found.length === 0) throw new Error(`no span ${what} among ${this.spans.length}`);
    return found;
  }

  /** The one child of `parent` that matches; says which children there were when none does. */
  child(parent: ReadableSpan, what: string, predicate: (span: ReadableSpan) => boolean): ReadableSpan {
    const children = this.spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
    const matching = children.filter(predicate);
    if (matching.length !== 1) {
      throw new Error(`expected one child ${what} of "${parent.name}", found ${matching.length} among: ${children.map((c) => c.name).join(', ')}`);
    }
    return matching[0]!;
  }

  publishOf(parent: ReadableSpan, type: string): ReadableSpan {
    return this.child(parent, `publish ${type}`, (s) => s.kind === SpanKind.PRODUCER && s.name === `publish ${type}`);
  }

  processOf(publish: ReadableSpan, consumer: string): ReadableSpan {
    return this.child(publish, `process by ${consumer}`, (s) => s.kind === SpanKind.CONSUMER
      && s.attributes['messaging.consumer.group.name'] === consumer
      && s.attributes['messaging.message.id'] === publish.attributes['messaging.message.id']);
  }

  inTrace(traceId: string): ReadableSpan[] {
    return this.spans.filter((span) => span.spanContext().traceId === traceId);
  }
}

describe('one trace from the web chat message to the delivered notification', () => {
  let run: TestRun;
  let inbox: SmtpInbox;
  let receiver: WebhookReceiver;
  const apps: NestFastifyApplication[] = [];
  const urls: Record<string, string> = {};
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    startTelemetry({ serviceName: 'leadline-e2e', traceExporter: exporter });
    instrumentLoadedModules(require);
    run = await TestRun.start();
    inbox = await SmtpInbox.start();
    receiver = await WebhookReceiver.start();
    for (const definition of [accountsService, ingestionService, extractionService, identityService, leadsService, notificationsService]) {
      const started = await startService(run, definition as never, {
        IDLE_SCAN_INTERVAL_MS: '100', SMTP_URL: inbox.url, DELIVERY_POLL_MS: '100',
      });
      apps.push(started.app);
      urls[definition.name] = started.url;
    }
  });

  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await run?.cleanup();
    await inbox?.stop();
    await receiver?.stop();
    await stopTelemetry();
  });

  it('follows HTTP -> idle (linked to its messages) -> every NATS hop -> the notification, its email and its webhook', async () => {
    const widgetKey = `widget-${run.prefix}`;
    const created = await http('POST', `${urls['accounts']}/v1/accounts`, {
      name: 'Green Gardens', domain: 'greengardens.example', idleWindowSeconds: 1,
      channels: [{ kind: 'webchat', address: widgetKey }],
      members: [{ email: 'ann@greengardens.example', name: 'Ann', role: 'admin', notificationPreference: 'all' }],
    }, operatorHeaders());
    expect(created.status).toBe(201);
    const accountId = created.body['id'] as string;
    const endpoint = await http('POST', `${urls['notifications']}/v1/webhooks`, { url: receiver.url, kinds: ['new_lead'] }, memberHeaders(accountId));
    expect(endpoint.status).toBe(201);
    const deviceId = randomUUID();
    const first = await eventually(async () => {
      const r = await http('POST', `${urls['ingestion']}/v1/webchat/messages`, { widgetKey, deviceId, clientMessageId: 'c1', text: "Hi, I'm John Smith." });
      return r.status === 404 ? undefined : r;
    }, 15_000, 'ingestion to know the widget');
    expect(first.status).toBe(202);
    const conversationId = first.body['conversationId'] as string;
    const secondSentAt = Date.now();
    const second = await http('POST', `${urls['ingestion']}/v1/webchat/messages`, {
      widgetKey, deviceId, clientMessageId: 'c2', text: 'My email is john@email.com, I need a quote for landscaping.',
    });
    expect(second.status).toBe(202);
    const leadCreated = await awaitEvent(run.js, run.naming(), LeadCreatedEvent, (e) => e.conversationId === conversationId);
    const [notification] = await eventually(async () => {
      const r = await http('GET', `${urls['notifications']}/v1/notifications`, undefined, memberHeaders(accountId));
      return r.body.length > 0 ? r.body : undefined;
    }, 15_000, 'the notification');
    // The relays publish after their commits, the delivery worker sends later: wait for the last hops' spans too.
    const tree = await eventually(async () => {
      await flushTelemetry();
      const spans = exporter.getFinishedSpans();
      const ended = ['publish notifications.v1.notification.created', 'publish conversations.v1.conversation.linked']
        .every((name) => spans.some((span) => span.name === name))
        && spans.filter((span) => span.name === 'publish notifications.v1.notification.delivered').length >= 2;
      return ended ? new SpanTree(spans) : undefined;
    }, 20_000, 'the spans of the whole flow, deliveries included');

    // The two inbound messages: each its own HTTP server span, in its own trace.
    const inbound = tree.find('for POST /v1/webchat/messages', (s) => s.kind === SpanKind.SERVER
      && s.attributes['http.request.method'] === 'POST'
      && (s.attributes['url.path'] ?? s.attributes['http.target']) === '/v1/webchat/messages'
      && s.attributes['http.response.status_code'] === 202);
    expect(inbound).toHaveLength(2); // the widget's 404s while ingestion learned the account are not these
    const [firstHttp, secondHttp] = inbound;
    expect(firstHttp!.spanContext().traceId).not.toBe(secondHttp!.spanContext().traceId);
    const publishReceived = tree.publishOf(firstHttp!, 'conversations.v1.message.received');
    expect(publishReceived.spanContext().traceId).toBe(firstHttp!.spanContext().traceId);

    // The idle event continues the latest message's trace and links to the span of every message it covers.
    const idle = tree.child(secondHttp!, 'conversation idle', (s) => s.name === 'conversation idle'
      && s.attributes['leadline.conversation_id'] === conversationId);
    expect(idle.links.map((link) => link.context.spanId).sort())
      .toEqual([firstHttp!.spanContext().spanId, secondHttp!.spanContext().spanId].sort());
    expect(idle.links.map((link) => link.context.traceId).sort())
      .toEqual([firstHttp!.spanContext().traceId, secondHttp!.spanContext().traceId].sort());

    // Every NATS hop: the relay's publish span is the child of the work that queued the event, and each
    // consumer's process span the child of that publish, across the five services.
    const idlePublished = tree.publishOf(idle, 'conversations.v1.conversation.idle');
    const analyzing = tree.processOf(idlePublished, 'extraction-analyze-idle-conversation');
    const analyzedPublished = tree.publishOf(analyzing, 'extraction.v1.conversation.analyzed');
    const resolving = tree.processOf(analyzedPublished, 'identity-resolve-conversation');
    const contactPublished = tree.publishOf(resolving, 'identity.v1.contact.created');
    const linking = tree.processOf(contactPublished, 'ingestion-link-created-contact');
    tree.publishOf(linking, 'conversations.v1.conversation.linked');
    const opening = tree.processOf(contactPublished, 'leads-open-lead-for-new-contact');
    const leadPublished = tree.publishOf(opening, 'leads.v1.lead.created');
    expect(leadPublished.attributes['messaging.message.id']).toBe(leadCreated.id);
    const notifying = tree.processOf(leadPublished, 'notifications-notify-new-lead');

    // ... down to the row: the notification is inserted inside that process span, with its event.
    const stored = tree.child(notifying, 'INSERT INTO notifications', (s) => s.kind === SpanKind.CLIENT
      && /^\s*INSERT INTO "?notifications"?\s/i.test(String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '')));
    expect(stored.status.code).not.toBe(2);
    tree.publishOf(notifying, 'notifications.v1.notification.created');
    expect(notification).toMatchObject({ kind: 'new_lead', conversationId });

    // ... and out: the delivery worker sends the email and the webhook later, each under a span continuing the
    // trace of the event that queued it, which also records its notification.delivered event.
    const emailed = tree.child(notifying, 'deliver email', (s) => s.kind === SpanKind.CLIENT && s.name === 'deliver email');
    const posted = tree.child(notifying, 'deliver webhook', (s) => s.kind === SpanKind.CLIENT && s.name === 'deliver webhook');
    for (const delivery of [emailed, posted]) {
      expect(delivery.status.code).not.toBe(2);
      expect(delivery.attributes['leadline.delivery.outcome']).toBe('delivered');
      tree.publishOf(delivery, 'notifications.v1.notification.delivered');
    }
    expect(emailed.attributes['leadline.notification_id']).toBe(notification!['id']);
    expect(posted.attributes['http.response.status_code']).toBe(200);
    expect(inbox.mails.map((mail) => mail.subject)).toEqual([expect.stringMatching(/John Smith/)]);
    // The receiving system sees the trace: its own server span is a child of the delivery's.
    const [hook] = receiver.received;
    expect(receiver.received).toHaveLength(1);
    expect(hook!.headers['traceparent']).toMatch(new RegExp(`^00-${posted.spanContext().traceId}-${posted.spanContext().spanId}-`));
    expect(hook!.headers['baggage']).toBeUndefined(); // internal context stays inside
    const received = tree.child(posted, 'webhook receiver', (s) => s.kind === SpanKind.SERVER);
    expect(received.attributes['http.response.status_code']).toBe(200);

    const traceId = secondHttp!.spanContext().traceId;
    for (const span of [idle, idlePublished, analyzing, resolving, contactPublished, linking, opening, leadPublished, notifying, stored, emailed, posted, received]) {
      expect(span.spanContext().traceId).toBe(traceId);
    }
    // What the visitor wrote stays out of the trace (attributes hold ids, subjects and parameterised SQL).
    const attributes = JSON.stringify([...tree.inTrace(traceId), ...tree.inTrace(firstHttp!.spanContext().traceId)].map((s) => s.attributes));
    expect(attributes).not.toContain('john@email.com');
    expect(attributes).not.toContain('John Smith');
    expect(attributes).not.toContain('ann@greengardens.example');

    // The same chain measured: the visitor's last message -> the New Lead notification, on notifications' /metrics.
    const samples = parsePrometheusText(await (await fetch(`${urls['notifications']}/metrics`)).text());
    const latency = (name: string) => findSamples(samples, `leadline_message_to_notification_seconds_${name}`, { kind: 'new_lead' })[0]?.value;
    expect(latency('count')).toBe(1);
    const notifiedAfter = (Date.parse(String(notification!['createdAt'])) - secondSentAt) / 1000;
    expect(latency('sum')).toBeGreaterThanOrEqual(1); // the idle window (1 s) at least
    expect(latency('sum')).toBeLessThanOrEqual(notifiedAfter + 1);
    // Only our metrics: the http and pg instrumentations' own per-request and per-query histograms are not recorded.
    expect(samples.map((sample) => sample.name).filter((name) => /^(db_client|http_(server|client))_/.test(name))).toEqual([]);
    expect(findSamples(samples, 'leadline_http_server_duration_seconds_count').length).toBeGreaterThan(0);

    // The operator's trail of the conversation tells the same story, each event carrying its trace.
    const trail = await conversationTrail({ js: run.js, jsm: run.jsm, naming: run.naming(), prefix: run.prefix }, conversationId);
    const types = trail.filter((event) => !event.deadLettered).map((event) => event.type);
    expect(types.slice(0, 5)).toEqual([
      'conversations.v1.message.received', 'conversations.v1.message.received', 'conversations.v1.conversation.idle',
      'extraction.v1.conversation.analyzed', 'identity.v1.contact.created',
    ]);
    expect(types).toEqual(expect.arrayContaining(['leads.v1.lead.created', 'conversations.v1.conversation.linked']));
    const afterIdle = trail.slice(2).filter((event) => !event.deadLettered);
    expect(afterIdle.every((event) => event.traceId === traceId)).toBe(true);
  });
});
