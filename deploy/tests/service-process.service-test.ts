import { MemberRemovedEvent } from '@leadline/contracts';
import { SubjectNaming } from '@leadline/messaging';
import { findSamples, parsePrometheusText } from '@leadline/observability';
import { eventually, freePort, publishEvent, startPrivateNatsServer, TestRun, type PrivateNatsServer } from '@leadline/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { buildServicePrivately } from './private-build';

/**
 * The compiled leads service as its image runs it (instrument.ts first, then Nest), against a private
 * nats-server (never the shared one) configured with deploy/nats/leadline-users.conf and the service's own NATS
 * user: /metrics serves lag and DLQ depth with only the permissions that user has, and SIGTERM drains it.
 */
const ROOT = path.resolve(__dirname, '../..');
const CONSUMER = 'leads-member-removed';

describe('the compiled leads service with its own NATS user', () => {
  let run: TestRun;
  let nats: PrivateNatsServer;
  let admin: NatsConnection;
  let service: ChildProcess | undefined;
  let output = '';
  let build: Awaited<ReturnType<typeof buildServicePrivately>> | undefined;

  beforeAll(async () => {
    run = await TestRun.start();
    nats = await startPrivateNatsServer(path.join(ROOT, 'deploy/nats/leadline-users.conf'));
    admin = await connect({ servers: nats.url, user: 'admin', pass: nats.passwords['admin']!, maxReconnectAttempts: 0 });
    build = await buildServicePrivately('leads');
  });

  afterAll(async () => {
    service?.kill('SIGKILL');
    await admin?.close();
    await nats?.stop();
    await run?.cleanup();
    build?.remove();
  });

  it('serves /metrics with lag and DLQ depth under its NATS permissions, and drains on SIGTERM', async () => {
    const port = await freePort();
    service = spawn(process.execPath, [build!.main], {
      cwd: ROOT,
      env: {
        ...process.env, ...run.env('leads'), NATS_URL: nats.url, NATS_USER: 'leads', NATS_PASSWORD: nats.passwords['leads']!,
        // A private server: no prefix, the subjects exactly as deploy/nats/ grants them.
        NATS_SUBJECT_PREFIX: '', PORT: String(port), HOST: '127.0.0.1', OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    service.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok || undefined, 30_000, `leads to be ready:\n${output}`);

    const naming = new SubjectNaming('');
    const js = jetstream(admin);
    await publishEvent(js, naming, MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() });
    await publishEvent(js, naming, MemberRemovedEvent, { accountId: 'not-a-uuid', memberId: randomUUID() });

    const samples = await eventually(async () => {
      const scraped = parsePrometheusText(await (await fetch(`${url}/metrics`)).text());
      const consumed = findSamples(scraped, 'leadline_events_consumed_total', { consumer: CONSUMER })[0]?.value ?? 0;
      const dlq = findSamples(scraped, 'leadline_dlq_depth', { consumer: CONSUMER })[0]?.value ?? 0;
      return consumed >= 1 && dlq >= 1 ? scraped : undefined;
    }, 20_000, 'the consumed event and the DLQ depth in /metrics');
    expect(findSamples(samples, 'leadline_consumer_pending_events', { consumer: CONSUMER, stream: naming.stream('ACCOUNTS') })[0]?.value).toBe(0);
    expect(findSamples(samples, 'leadline_consumer_pending_events').length).toBeGreaterThanOrEqual(3);
    expect(output).not.toMatch(/Permissions Violation/i);

    const started = Date.now();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      service!.once('exit', (code, signal) => resolve({ code, signal }));
    });
    service.kill('SIGTERM');
    const { code, signal } = await exited;
    service = undefined;
    // Nest re-raises the signal once it has closed: the process ends by SIGTERM (or 0), well within the grace period.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(Date.now() - started).toBeLessThan(45_000);
    const info = await (await jetstreamManager(admin)).consumers.info(naming.stream('ACCOUNTS'), CONSUMER);
    expect(info.num_pending).toBe(0);
  });
});
