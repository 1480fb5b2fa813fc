import { ConversationLinkedEvent, LeadCreatedEvent, MemberRemovedEvent, MessageReceivedEvent } from '@leadline/contracts';
import { ensureStream } from '@leadline/messaging';
import { eventually, publishEvent, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { leadsService } from '../../../services/leads/src/leads.service-definition';
import { runCli } from './cli';
import type { DlqEntry, ReplayResult } from './dlq.command';
import type { ConsumerRow, StreamRow } from './streams.command';
import type { TrailEvent } from './trail.command';

const CONSUMER = 'leads-member-removed';

describe('the leadline operator tool against a deployment on real NATS', () => {
  let run: TestRun;
  let app: NestFastifyApplication | undefined;

  async function leadline(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await runCli(argv, {
      env: { NATS_URL: run.natsUrl, NATS_SUBJECT_PREFIX: run.prefix },
      out: (text) => { out += text; },
      err: (text) => { err += text; },
    });
    return { code, out, err };
  }

  async function json<T>(...argv: string[]): Promise<T> {
    const result = await leadline(...argv, '--json');
    expect(result).toMatchObject({ code: 0, err: '' });
    return JSON.parse(result.out) as T;
  }

  beforeAll(async () => {
    run = await TestRun.start();
    app = (await startService(run, leadsService as never, { CONSUMER_MAX_DELIVER: '2' })).app;
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  it('lists dead-lettered events and replays one once its consumer is fixed', async () => {
    const schema = run.schema('leads');
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: 'not-a-uuid', memberId: randomUUID() });
    // Break the consumer: its inbox table is gone, so every attempt fails until it is dead-lettered.
    await run.query(`ALTER TABLE ${schema}.inbox_events RENAME TO inbox_events_away`);
    const eventId = await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() });
    const entries = await eventually(async () => {
      const listed = await json<DlqEntry[]>('dlq', 'list');
      return listed.length >= 2 ? listed : undefined;
    }, 20_000, 'two events in the DLQ');

    const failed = entries.find((entry) => entry.eventId === eventId);
    expect(failed).toMatchObject({
      consumer: CONSUMER, type: MemberRemovedEvent.type, subject: run.naming().subject(MemberRemovedEvent.subject),
      stream: run.naming().stream('ACCOUNTS'), deliveries: 2, error: expect.stringMatching(/inbox_events/),
    });
    expect(entries.find((entry) => entry !== failed)).toMatchObject({ consumer: CONSUMER, error: expect.stringMatching(/^invalid event/) });
    const table = await leadline('dlq', 'list');
    expect(table.out).toMatch(/^SEQ\s+WHEN\s+CONSUMER/);
    expect(table.out).toContain(eventId);

    // Fixed: replay the one event by its id; the other stays where it is.
    await run.query(`ALTER TABLE ${schema}.inbox_events_away RENAME TO inbox_events`);
    const replayed = await json<ReplayResult[]>('dlq', 'replay', '--id', eventId);
    expect(replayed).toEqual([expect.objectContaining({ seq: failed!.seq, eventId, subject: failed!.subject })]);
    await eventually(async () => {
      const rows = await run.query(`SELECT 1 FROM ${schema}.inbox_events WHERE consumer = $1 AND event_id = $2`, [CONSUMER, eventId]);
      return rows.length === 1 ? true : undefined;
    }, 15_000, 'the replayed event to be handled');
    const left = await json<DlqEntry[]>('dlq', 'list');
    expect(left.map((entry) => entry.eventId)).not.toContain(eventId);
    expect(left).toHaveLength(1);

    // The republished copy is the same event (same ce-id), marked as a replay.
    const stored = await run.jsm.streams.getMessage(run.naming().stream('ACCOUNTS'), { seq: replayed[0]!.republishedSeq });
    expect(stored?.header.get('ce-id')).toBe(eventId);
    expect(stored?.header.get('Leadline-Replayed-From')).toBe(`${run.naming().stream('DLQ')}:${failed!.seq}`);
    expect(stored?.header.get('Leadline-Dlq-Error')).toBe('');
  });

  it('refuses a replay of something not in the DLQ, and a replay without a choice', async () => {
    const unknown = await leadline('dlq', 'replay', '--id', '987654');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/not in .*DLQ: 987654/);
    const unspecified = await leadline('dlq', 'replay');
    expect(unspecified.code).toBe(2);
    expect(unspecified.err).toMatch(/--id .* or --all/);
  });

  it('shows streams, and consumers with their lag', async () => {
    const streams = await json<StreamRow[]>('streams');
    const accounts = streams.find((row) => row.stream === run.naming().stream('ACCOUNTS'));
    expect(accounts).toMatchObject({ messages: 3, subjects: run.naming().streamSubjects('ACCOUNTS').join(' ') });
    expect(streams.map((row) => row.stream)).toContain(run.naming().stream('DLQ'));
    expect(streams.every((row) => row.stream.startsWith(`${run.prefix}_`))).toBe(true);

    await app?.close();
    app = undefined;
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() });
    await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() });
    const consumers = await json<ConsumerRow[]>('consumers', '--stream', 'ACCOUNTS');
    expect(consumers.find((row) => row.consumer === CONSUMER)).toMatchObject({ stream: run.naming().stream('ACCOUNTS'), pending: 2 });
    expect(consumers.every((row) => row.stream === run.naming().stream('ACCOUNTS'))).toBe(true);
    const table = await leadline('consumers');
    expect(table.out).toMatch(new RegExp(`${CONSUMER}\\s+2\\s`));
  });

  it('follows one conversation across streams, in order, and no other', async () => {
    for (const stream of ['CONVERSATIONS', 'LEADS'] as const) {
      await ensureStream(run.jsm, { name: run.naming().stream(stream), subjects: run.naming().streamSubjects(stream), replicas: 1 });
    }
    const accountId = randomUUID();
    const conversationId = randomUUID();
    const contactId = randomUUID();
    const message = (id: string) => ({
      accountId, conversationId: id, messageId: randomUUID(), channel: 'webchat' as const, author: 'visitor' as const,
      text: 'hello', sentAt: new Date().toISOString(),
    });
    await publishEvent(run.js, run.naming(), MessageReceivedEvent, message(conversationId));
    await publishEvent(run.js, run.naming(), MessageReceivedEvent, message(randomUUID()));
    // The trail orders by ce-time (milliseconds): events of one conversation are never within one in practice.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    await tick();
    const leadId = randomUUID();
    await publishEvent(run.js, run.naming(), LeadCreatedEvent, {
      accountId, leadId, contactId, status: 'new', reason: 'new_contact', conversationId, previousLeadIds: [],
      contact: { displayName: 'Pat', emails: [], phones: [] } as never, createdAt: new Date().toISOString(),
    });
    await tick();
    await publishEvent(run.js, run.naming(), ConversationLinkedEvent, {
      accountId, conversationId, contactId, duplicate: false, linkedAt: new Date().toISOString(),
    });

    const trail = await json<TrailEvent[]>('trail', conversationId);
    expect(trail.map((event) => event.type)).toEqual([MessageReceivedEvent.type, LeadCreatedEvent.type, ConversationLinkedEvent.type]);
    expect(trail[1]).toMatchObject({ stream: run.naming().stream('LEADS'), refs: { contactId, leadId } });
    const bad = await leadline('trail', 'not-an-id');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/not a conversation id/);
  });

  it('runs as the `leadline` command', async () => {
    const root = path.resolve(__dirname, '../../..');
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'tools/leadline/bin/leadline.js'), 'streams', '--json'], {
      cwd: root, env: { ...process.env, NATS_URL: run.natsUrl, NATS_SUBJECT_PREFIX: run.prefix },
    });
    const streams = JSON.parse(stdout) as StreamRow[];
    expect(streams.map((row) => row.stream)).toContain(run.naming().stream('LEADS'));
  });
});

describe('leadline dlq replay --all --consumer', () => {
  let run: TestRun;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    run = await TestRun.start();
    app = (await startService(run, leadsService as never, { CONSUMER_MAX_DELIVER: '2' })).app;
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  async function json<T>(...argv: string[]): Promise<T> {
    let out = '';
    const code = await runCli([...argv, '--json'], {
      env: { NATS_URL: run.natsUrl, NATS_SUBJECT_PREFIX: run.prefix }, out: (text) => { out += text; }, err: () => undefined,
    });
    expect(code).toBe(0);
    return JSON.parse(out) as T;
  }

  it('lists one consumer\'s dead letters and replays all of them at once', async () => {
    const schema = run.schema('leads');
    const invalidId = await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: 'not-a-uuid', memberId: randomUUID() });
    await run.query(`ALTER TABLE ${schema}.inbox_events RENAME TO inbox_events_away`);
    const ids = [
      await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() }),
      await publishEvent(run.js, run.naming(), MemberRemovedEvent, { accountId: randomUUID(), memberId: randomUUID() }),
    ];
    const broken = await eventually(async () => {
      const listed = await json<DlqEntry[]>('dlq', 'list', '--consumer', CONSUMER);
      return [invalidId, ...ids].every((id) => listed.some((entry) => entry.eventId === id)) ? listed : undefined;
    }, 20_000, 'three events dead-lettered');
    expect(broken).toHaveLength(3);
    expect(await json<DlqEntry[]>('dlq', 'list', '--consumer', 'leads-open-lead-for-new-contact')).toEqual([]);
    await run.query(`ALTER TABLE ${schema}.inbox_events_away RENAME TO inbox_events`);

    const replayed = await json<ReplayResult[]>('dlq', 'replay', '--all', '--consumer', CONSUMER);
    expect(replayed.map((r) => r.eventId).sort()).toEqual([invalidId, ...ids].sort());
    await eventually(async () => {
      const rows = await run.query(`SELECT event_id FROM ${schema}.inbox_events WHERE consumer = $1 AND event_id = ANY($2)`, [CONSUMER, ids]);
      return rows.length === 2 ? true : undefined;
    }, 15_000, 'both replayed events handled');
    // The invalid event fails its contract again: it is back, alone, under a new DLQ sequence.
    const after = await eventually(async () => {
      const listed = await json<DlqEntry[]>('dlq', 'list', '--consumer', CONSUMER);
      return listed.length === 1 ? listed : undefined;
    }, 15_000, 'the invalid event back in the DLQ');
    const first = broken.find((entry) => entry.eventId === invalidId)!;
    expect(after[0]).toMatchObject({ eventId: invalidId, error: expect.stringMatching(/^invalid event/) });
    expect(after[0]!.seq).toBeGreaterThan(first.seq);
  });
});
