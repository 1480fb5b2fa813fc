import { ContactCreatedEvent, LeadCreatedEvent, MemberRemovedEvent } from '@leadline/contracts';
import { MessagingMetrics } from '@leadline/messaging';
import { eventually, memberHeaders, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { leadsService } from '../../../../services/leads/src/leads.service-definition';
import { contactCreated } from '../../../../services/leads/src/test-support/leads-fixtures';
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
    // Enough attempts that a consumer broken for a moment retries rather than dead-letters.
    const started = await startService(run, leadsService as never, { CONSUMER_MAX_DELIVER: '20', CONSUMER_RETRY_BASE_MS: '200' });
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

  it('counts failed attempts per consumer, and the events the relay publishes once the consumer recovers', async () => {
    const schema = run.schema('leads');
    const consumer = 'leads-open-lead-for-new-contact';
    const created = contactCreated(randomUUID(), 'Fay Failing');
    // Broken for a moment: the inbox table is gone, so the consumer's transaction fails and the event is retried.
    await run.query(`ALTER TABLE ${schema}.inbox_events RENAME TO inbox_events_away`);
    try {
      await publishEvent(run.js, run.naming(), ContactCreatedEvent, created);
      await eventually(async () => ((value((await scrape()).samples, 'leadline_events_failed_total', { consumer }) ?? 0) >= 1 ? true : undefined),
        20_000, 'a failed attempt in /metrics');
    } finally {
      await run.query(`ALTER TABLE ${schema}.inbox_events_away RENAME TO inbox_events`);
    }
    const published = await eventually(async () => {
      const { samples } = await scrape();
      return (value(samples, 'leadline_events_published_total', { type: LeadCreatedEvent.type }) ?? 0) >= 1 ? samples : undefined;
    }, 20_000, 'lead.created published after the retry');
    expect(value(published, 'leadline_events_published_total', { type: LeadCreatedEvent.type })).toBe(1);
    expect(value(published, 'leadline_events_consumed_total', { consumer })).toBe(1);
    expect(value(published, 'leadline_events_dead_lettered_total', { consumer })).toBeUndefined();
    expect(value(published, 'leadline_consumer_pending_events', { consumer })).toBe(0);
  });

  it('counts 5xx answers per route as errors, next to their duration', async () => {
    const schema = run.schema('leads');
    const accountId = randomUUID();
    await run.query(`ALTER TABLE ${schema}.leads RENAME TO leads_away`);
    let failed: Response;
    try {
      failed = await fetch(`${url}/v1/leads`, { headers: memberHeaders(accountId) });
    } finally {
      await run.query(`ALTER TABLE ${schema}.leads_away RENAME TO leads`);
    }
    expect(failed.status).toBe(500);
    const answered = await fetch(`${url}/v1/leads`, { headers: memberHeaders(accountId) });
    expect(answered.status).toBe(200);
    const { samples } = await scrape();
    expect(value(samples, 'leadline_http_server_errors_total', { method: 'GET', route: '/v1/leads' })).toBe(1);
    expect(value(samples, 'leadline_http_server_duration_seconds_count', { method: 'GET', route: '/v1/leads', status_code: '500' })).toBe(1);
    expect(value(samples, 'leadline_http_server_duration_seconds_count', { method: 'GET', route: '/v1/leads', status_code: '200' })).toBe(1);
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

  it('serves every metric the Grafana dashboard queries, with the labels it groups by', async () => {
    const dashboard = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../deploy/grafana/dashboards/leadline.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const { samples } = await scrape();
    const queries = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(queries.length).toBeGreaterThanOrEqual(12);
    const problems: string[] = [];
    for (const { panel, expr } of queries) {
      const names = [...new Set(expr.match(/\bleadline_[a-z_]+/g) ?? [])];
      // `service` is not served: Prometheus adds it (compose: the scrape config; Kubernetes: the ServiceMonitor).
      const groupedBy = [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())).filter((l) => l !== 'service');
      if (names.length === 0) problems.push(`${panel}: no leadline metric in ${expr}`);
      for (const name of names) {
        const served = findSamples(samples, name);
        if (served.length === 0) problems.push(`${panel}: ${name} is not served`);
        for (const label of groupedBy) {
          if (!served.some((sample) => label in sample.labels)) problems.push(`${panel}: ${name} has no label ${label}`);
        }
      }
    }
    expect(problems).toEqual([]);
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
