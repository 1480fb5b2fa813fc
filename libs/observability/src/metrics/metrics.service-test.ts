import { MemberRemovedEvent } from '@leadline/contracts';
import { MessagingMetrics } from '@leadline/messaging';
import { eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { leadsService } from '../../../../services/leads/src/leads.service-definition';
import { startTelemetry, stopTelemetry } from '../telemetry';
import { recordMessageToNotification } from './pipeline-metrics';
import { findSamples, parsePrometheusText, type Sample } from './prometheus-text';

const CONSUMER = 'leads-member-removed';

describe('/metrics of a service that handled events', () => {
  let run: TestRun;
  let app: NestFastifyApplication | undefined;
  let url: string;

  beforeAll(async () => {
    startTelemetry({ serviceName: 'leads', traceExporter: new InMemorySpanExporter() });
    run = await TestRun.start();
    const started = await startService(run, leadsService as never);
    app = started.app;
    url = started.url;
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
    await stopTelemetry();
  });

  async function scrape(): Promise<{ status: number; type: string | null; samples: Sample[]; text: string }> {
    const response = await fetch(`${url}/metrics`);
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type'), samples: parsePrometheusText(text), text };
  }

  const value = (samples: Sample[], name: string, labels: Record<string, string>): number | undefined =>
    findSamples(samples, name, labels)[0]?.value;

  it('counts consumed and dead-lettered events, reports lag and DLQ depth per consumer', async () => {
    const accountId = randomUUID();
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId, memberId: randomUUID() });
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId, memberId: randomUUID() });
    // Fails validation: dead-lettered at once with the reason.
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: 'not-a-uuid', memberId: randomUUID() });

    const { samples, status, type } = await eventually(async () => {
      const scraped = await scrape();
      const consumed = value(scraped.samples, 'leadline_events_consumed_total', { consumer: CONSUMER }) ?? 0;
      const dlq = value(scraped.samples, 'leadline_dlq_depth', { consumer: CONSUMER }) ?? 0;
      return consumed >= 2 && dlq >= 1 ? scraped : undefined;
    }, 20_000, 'two events consumed and one dead-lettered in /metrics');

    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(samples, 'leadline_events_consumed_total', { consumer: CONSUMER })).toBe(2);
    expect(value(samples, 'leadline_events_dead_lettered_total', { consumer: CONSUMER, reason: 'invalid' })).toBe(1);
    expect(value(samples, 'leadline_dlq_depth', { consumer: CONSUMER })).toBe(1);
    // Every durable of the service reports its lag, caught up here; consumers with an empty DLQ report 0.
    expect(value(samples, 'leadline_consumer_pending_events', { consumer: CONSUMER, stream: run.naming().stream('ACCOUNTS') })).toBe(0);
    expect(value(samples, 'leadline_consumer_pending_events', { consumer: 'leads-open-lead-for-new-contact' })).toBe(0);
    expect(value(samples, 'leadline_dlq_depth', { consumer: 'leads-open-lead-for-new-contact' })).toBe(0);
    // Only this service's consumers: nothing of another service sharing the streams.
    const consumers = new Set(findSamples(samples, 'leadline_consumer_pending_events').map((s) => s.labels['consumer']));
    expect([...consumers].every((name) => name?.startsWith('leads-'))).toBe(true);
  });

  it('measures HTTP requests per route template and status, and leaves probes and scrapes out', async () => {
    const leadId = randomUUID();
    const answered = await fetch(`${url}/v1/leads/${leadId}`);
    const unknown = await fetch(`${url}/no-such-route`);
    await fetch(`${url}/health/ready`);
    expect(unknown.status).toBe(404);

    const { samples } = await scrape();
    const leadRoute = findSamples(samples, 'leadline_http_server_duration_seconds_count', { method: 'GET', status_code: String(answered.status) })
      .find((sample) => /^\/v1\/leads\/:[a-zA-Z]+$/.test(sample.labels['route'] ?? ''));
    expect(leadRoute?.value).toBe(1);
    expect(value(samples, 'leadline_http_server_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    // Never the raw URL: the id must not become a label value.
    expect(samples.some((sample) => Object.values(sample.labels).some((label) => label.includes(leadId)))).toBe(false);
    expect(samples.some((sample) => (sample.labels['route'] ?? '').startsWith('/health'))).toBe(false);
    expect(samples.some((sample) => (sample.labels['route'] ?? '').startsWith('/metrics'))).toBe(false);
    const buckets = findSamples(samples, 'leadline_http_server_duration_seconds_bucket', { route: 'unmatched' });
    expect(buckets.find((b) => b.labels['le'] === '+Inf')?.value).toBe(1);
  });

  it('exposes the message-to-notification latency histogram with its buckets', async () => {
    recordMessageToNotification(new Date(Date.now() - 3_000).toISOString(), 'new_lead');
    recordMessageToNotification('not a time', 'new_lead'); // says nothing true: not recorded
    const { samples } = await scrape();
    const bucket = (le: string) => value(samples, 'leadline_message_to_notification_seconds_bucket', { kind: 'new_lead', le });
    expect(value(samples, 'leadline_message_to_notification_seconds_count', { kind: 'new_lead' })).toBe(1);
    expect(bucket('2.5')).toBe(0);
    expect(bucket('5')).toBe(1);
    expect(value(samples, 'leadline_message_to_notification_seconds_sum', { kind: 'new_lead' })).toBeGreaterThanOrEqual(3);
  });

  it('reads the lag of a durable whose service is down', async () => {
    await app?.close();
    app = undefined;
    for (let i = 0; i < 3; i += 1) {
      await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() });
    }
    const metrics = new MessagingMetrics({ serviceName: 'leads', natsUrl: run.natsUrl, subjectPrefix: run.prefix, publishes: [] }, run.jsm);
    try {
      const backlogs = await metrics.consumerBacklogs();
      expect(backlogs.find((b) => b.consumer === CONSUMER)).toEqual({
        consumer: CONSUMER, stream: run.naming().stream('ACCOUNTS'), pending: 3, ackPending: expect.any(Number),
      });
      expect((await metrics.deadLetterDepths([CONSUMER])).get(CONSUMER)).toBe(1);
    } finally {
      metrics.onModuleDestroy();
    }
  });
});
