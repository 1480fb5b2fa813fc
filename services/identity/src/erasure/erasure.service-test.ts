import { ContactCreatedEvent, ContactErasedEvent, ContactMatchedEvent, type ContactCreated, type ContactMatched } from '@leadline/contracts';
import { awaitEvent, collectEvents, eventually, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import { identityService } from '../identity.service-definition';
import { analyzed, publishAccount, publishAnalyzed, type Shared } from '../resolution/test-events';
import { http } from '../resolution/test-http';

describe('erasing a contact (right to be forgotten)', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  const accountId = randomUUID();

  beforeAll(async () => {
    run = await TestRun.start();
    ({ app, url } = await startService(run, identityService));
    await publishAccount(run, accountId);
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const schema = () => run.schema('identity');
  async function conversation(shared: Shared) {
    const event = await publishAnalyzed(run, analyzed(accountId, shared));
    const verdict = await Promise.race([
      awaitEvent(run.js, run.naming(), ContactCreatedEvent, (e: ContactCreated) => e.conversationId === event.conversationId),
      awaitEvent(run.js, run.naming(), ContactMatchedEvent, (e: ContactMatched) => e.conversationId === event.conversationId),
    ]);
    return { conversationId: event.conversationId, contactId: verdict.data.contactId };
  }
  /** Every row of identity's tables that still mentions the contact or one of its values. */
  async function traces(contactId: string, ...values: string[]): Promise<number> {
    const [row] = await run.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM ${schema()}.contacts WHERE id = $1)
            + (SELECT count(*) FROM ${schema()}.identifiers WHERE contact_id = $1 OR value = ANY($2))
            + (SELECT count(*) FROM ${schema()}.identifier_claims WHERE contact_id = $1 OR value = ANY($2))
            + (SELECT count(*) FROM ${schema()}.conversation_links WHERE contact_id = $1)
            + (SELECT count(*) FROM ${schema()}.contact_summaries WHERE contact_id = $1)
            + (SELECT count(*) FROM ${schema()}.duplicate_suggestions WHERE contact_a_id = $1 OR contact_b_id = $1) AS n`,
      [contactId, values]);
    return Number(row!.n);
  }

  it('removes the personal data, publishes contact.erased, and answers a repeat the same way', async () => {
    const mary = await conversation({ firstName: 'Mary', email: 'mary@example.com', phone: '555-010-2020' });
    const again = await conversation({ email: 'mary@example.com' });
    expect(again.contactId).toBe(mary.contactId);
    expect(await traces(mary.contactId, 'mary@example.com', '+15550102020')).toBeGreaterThan(0);
    await eventually(async () => (await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${schema()}.outbox_events WHERE sent_at IS NOT NULL AND payload::text ~* 'mary'`))[0]!.n >= 2 || undefined,
    15_000, 'her published events in the outbox');

    const erased = await http('DELETE', `${url}/v1/contacts/${mary.contactId}`, undefined, accountId);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ contactId: mary.contactId, erasedContactIds: [mary.contactId], alreadyErased: false });
    expect(await traces(mary.contactId, 'mary@example.com', '+15550102020')).toBe(0);
    const event = await awaitEvent(run.js, run.naming(), ContactErasedEvent, (e) => e.contactId === mary.contactId);
    expect([...event.data.conversationIds!].sort()).toEqual([mary.conversationId, again.conversationId].sort());
    // Her name, email and phone (as written or E.164), not any "555": the event's random UUIDs hold that one run in 30.
    expect(JSON.stringify(event.data)).not.toMatch(/mary|555.?010.?2020/i);
    // The events about her that the outbox kept after publishing them (with her snapshot) are gone too.
    const kept = await run.query(`SELECT type FROM ${schema()}.outbox_events WHERE payload::text ~* 'mary'`);
    expect(kept).toEqual([]);

    const repeat = await http('POST', `${url}/v1/contacts/${mary.contactId}/erase`, undefined, accountId);
    expect(repeat).toMatchObject({ status: 200, body: { alreadyErased: true } });
    expect((await http('DELETE', `${url}/v1/contacts/${randomUUID()}`, undefined, accountId)).status).toBe(404);
    // Nothing remembers her: the same email later makes a brand-new contact.
    const back = await conversation({ email: 'mary@example.com' });
    expect(back.contactId).not.toBe(mary.contactId);
  });

  it('another account cannot erase the contact', async () => {
    const paul = await conversation({ email: 'paul@example.com' });
    expect((await http('DELETE', `${url}/v1/contacts/${paul.contactId}`, undefined, randomUUID())).status).toBe(404);
    expect(await traces(paul.contactId)).toBeGreaterThan(0);
  });

  it('erasing a merged contact erases the person: the survivor and everything merged into it', async () => {
    const a = await conversation({ firstName: 'Ann', email: 'ann@example.com' });
    const b = await conversation({ firstName: 'Annie', email: 'annie@example.com' });
    const merged = await http('POST', `${url}/v1/contacts/${a.contactId}/merge`, { otherContactId: b.contactId }, accountId);
    expect(merged.status).toBe(201);
    const erased = await http('POST', `${url}/v1/contacts/${b.contactId}/erase`, undefined, accountId);
    expect(erased.status).toBe(200);
    expect(erased.body.erasedContactIds).toEqual([a.contactId, b.contactId]);
    expect(await traces(a.contactId, 'ann@example.com')).toBe(0);
    expect(await traces(b.contactId, 'annie@example.com')).toBe(0);
    const [audit] = await run.query(`SELECT survivor_before FROM ${schema()}.contact_merges WHERE id = $1`, [merged.body.mergeId]);
    expect(audit).toEqual({ survivor_before: {} });
    const events = await collectEvents(run.js, run.naming(), ContactErasedEvent, (e) => [a.contactId, b.contactId].includes(e.contactId), 2);
    expect(events.map((e) => e.data.contactId).sort()).toEqual([a.contactId, b.contactId].sort());
    expect((await http('POST', `${url}/v1/merges/${merged.body.mergeId}/unmerge`, undefined, accountId)).status).toBe(409);
  });

  it('also forgets an event about the person that was being published as the erasure committed', async () => {
    const jo = await conversation({ firstName: 'Jo', email: 'jo.inflight@example.com' });
    // Another replica is publishing an event about her right now: its row is not marked sent yet. (Its subject has
    // no stream, so this service's own relay cannot publish and mark it: only the "other replica" below does.)
    const inFlight = uuidv7();
    await run.query(
      `INSERT INTO ${schema()}.outbox_events (id, subject, type, source, ce_subject, payload)
       VALUES ($1, $2, 'identity.v1.contact.updated', 'identity', $3, $4::jsonb)`,
      [inFlight, `${run.prefix}-elsewhere.v1.contact.updated`, jo.contactId,
        JSON.stringify({ contactId: jo.contactId, contact: { emails: ['jo.inflight@example.com'] } })]);
    const markedByTheOtherReplica = sleep(300).then(() => run.query(
      `UPDATE ${schema()}.outbox_events SET sent_at = now() WHERE id = $1`, [inFlight]));

    const erased = await http('DELETE', `${url}/v1/contacts/${jo.contactId}`, undefined, accountId);
    await markedByTheOtherReplica;
    expect(erased.status).toBe(200);
    expect(await run.query(`SELECT id FROM ${schema()}.outbox_events WHERE id = $1`, [inFlight])).toEqual([]);
    expect(await run.query(`SELECT id FROM ${schema()}.outbox_events WHERE payload::text ~* 'jo.inflight'`)).toEqual([]);
  });
});
