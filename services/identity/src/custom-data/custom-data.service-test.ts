import { ContactUpdatedEvent } from '@leadline/contracts';
import { awaitEvent, memberHeaders, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { apiClient, type Json } from '../contacts/contacts-test-api';
import { moveCustomData, moveCustomDataBack } from './custom-data-moves';
import { identityService } from '../identity.service-definition';

describe('custom attributes, events and companies on contacts', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let api: ReturnType<typeof apiClient>;
  let schema: string;
  const accountId = randomUUID();
  const member = memberHeaders(accountId, { memberId: randomUUID() });
  const system = systemHeaders(accountId);
  const outsider = systemHeaders(randomUUID());

  beforeAll(async () => {
    run = await TestRun.start();
    let url: string;
    ({ app, url } = await startService(run, identityService));
    api = apiClient(url);
    schema = run.schema('identity');
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  const newContact = async (body: Json): Promise<string> => (await api('POST', '/v1/contacts', member, body)).body.contactId;
  const count = async (table: string): Promise<number> =>
    (await run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.${table}`))[0]!.n;

  describe('attributes', () => {
    it('keeps typed values, shows them on the contact and publishes the change', async () => {
      const contactId = await newContact({ firstName: 'Ada' });
      const set = await api('PUT', `/v1/contacts/${contactId}/attributes`, system, { attributes: [
        { key: 'plan', type: 'string', value: 'pro' }, { key: 'seats', type: 'number', value: 12 },
        { key: 'trial', type: 'boolean', value: false }, { key: 'renewal', type: 'date', value: '2026-03-01' },
      ] });
      expect(set.status).toBe(200);
      const detail = await api('GET', `/v1/contacts/${contactId}`, member);
      expect(detail.body.attributes.map((a: Json) => [a.key, a.type, a.value, a.source])).toEqual([
        ['plan', 'string', 'pro', 'system'], ['renewal', 'date', '2026-03-01T00:00:00.000Z', 'system'],
        ['seats', 'number', 12, 'system'], ['trial', 'boolean', false, 'system'],
      ]);
      const updated = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent, (e) => e.contactId === contactId);
      expect(updated.data.changedFields.sort()).toEqual(['attributes.plan', 'attributes.renewal', 'attributes.seats', 'attributes.trial']);
    });

    it('refuses a value of the wrong type, and a key used with another type in the account', async () => {
      const first = await newContact({ firstName: 'Bea' });
      const second = await newContact({ firstName: 'Cal' });
      const wrong = await api('PUT', `/v1/contacts/${first}/attributes`, member, { attributes: [{ key: 'score', type: 'number', value: 'high' }] });
      expect(wrong.status).toBe(400);
      expect(wrong.body.fields).toEqual([{ field: 'attributes[0].value', reason: 'score must be a finite number' }]);
      expect((await api('PUT', `/v1/contacts/${first}/attributes`, member, { attributes: [{ key: 'tier', type: 'number', value: 2 }] })).status).toBe(200);
      const clash = await api('PUT', `/v1/contacts/${second}/attributes`, member, { attributes: [{ key: 'tier', type: 'string', value: 'gold' }] });
      expect(clash.status).toBe(400);
      expect(clash.body.fields).toEqual([{ field: 'attributes[0].type', reason: 'tier is a number attribute in this account: send a number' }]);
      const badKey = await api('PUT', `/v1/contacts/${second}/attributes`, member, { attributes: [{ key: 'Bad Key', type: 'string', value: 'x' }] });
      expect(badKey.status).toBe(400);
      expect(await run.query(`SELECT key FROM ${schema}.contact_attributes WHERE contact_id = $1`, [second])).toEqual([]);
    });

    it('removes an attribute with null or DELETE', async () => {
      const contactId = await newContact({ firstName: 'Dan' });
      await api('PUT', `/v1/contacts/${contactId}/attributes`, member, { attributes: [
        { key: 'colour', type: 'string', value: 'red' }, { key: 'size', type: 'string', value: 'L' }] });
      const cleared = await api('PUT', `/v1/contacts/${contactId}/attributes`, member, { attributes: [{ key: 'colour', type: 'string', value: null }] });
      expect(cleared.body.attributes.map((a: Json) => a.key)).toEqual(['size']);
      expect((await api('DELETE', `/v1/contacts/${contactId}/attributes/size`, member)).status).toBe(204);
      expect((await api('DELETE', `/v1/contacts/${contactId}/attributes/size`, member)).status).toBe(404);
    });

    it('has nothing to record on a contact that does not exist or is another account\'s', async () => {
      const contactId = await newContact({ firstName: 'Eli' });
      const body = { attributes: [{ key: 'plan', type: 'string', value: 'pro' }] };
      expect((await api('PUT', `/v1/contacts/${randomUUID()}/attributes`, member, body)).status).toBe(404);
      expect((await api('PUT', `/v1/contacts/${contactId}/attributes`, outsider, body)).status).toBe(404);
    });
  });

  describe('events', () => {
    it('records events on a contact, once per sender id, newest first a page at a time', async () => {
      const contactId = await newContact({ firstName: 'Flo' });
      const eventId = randomUUID();
      const first = await api('POST', `/v1/contacts/${contactId}/events`, system, {
        id: eventId, name: 'page_view', occurredAt: '2026-01-01T10:00:00Z', metadata: { url: '/pricing', title: 'Pricing' },
      });
      expect(first).toMatchObject({ status: 201, body: { id: eventId, name: 'page_view', metadata: { url: '/pricing' } } });
      const retry = await api('POST', `/v1/contacts/${contactId}/events`, system, { id: eventId, name: 'page_view', occurredAt: '2026-01-01T10:00:00Z' });
      expect(retry.status).toBe(200);
      for (const minute of [1, 2, 3]) {
        await api('POST', `/v1/contacts/${contactId}/events`, system, { name: 'page_view', occurredAt: `2026-01-01T10:0${minute}:00Z` });
      }
      const page1 = await api('GET', `/v1/contacts/${contactId}/events?limit=3`, member);
      expect(page1.body.events.map((e: Json) => e.occurredAt)).toEqual([
        '2026-01-01T10:03:00.000Z', '2026-01-01T10:02:00.000Z', '2026-01-01T10:01:00.000Z']);
      const page2 = await api('GET', `/v1/contacts/${contactId}/events?limit=3&cursor=${page1.body.nextCursor}`, member);
      expect(page2.body).toMatchObject({ events: [{ id: eventId }], nextCursor: null });
      expect((await api('GET', `/v1/contacts/${contactId}`, member)).body.recentEvents).toHaveLength(4);
    });

    it('records an event for whoever holds a device id, and none for an anonymous visitor', async () => {
      const deviceId = randomUUID();
      const contactId = await newContact({ firstName: 'Gil' });
      await api('POST', `/v1/contacts/${contactId}/identifiers`, member, { kind: 'device', value: deviceId });
      const recorded = await api('POST', '/v1/contact-events', system, { identifier: { kind: 'device', value: deviceId }, name: 'page_view' });
      expect(recorded).toMatchObject({ status: 201, body: { contactId, name: 'page_view' } });
      const before = await count('contact_events');
      const anonymous = await api('POST', '/v1/contact-events', system, { identifier: { kind: 'device', value: randomUUID() }, name: 'page_view' });
      expect(anonymous.status).toBe(404);
      expect(anonymous.body.message).toContain('still anonymous');
      expect(await count('contact_events')).toBe(before);
    });

    it('refuses bad events', async () => {
      const contactId = await newContact({ firstName: 'Hal' });
      const bad = await api('POST', `/v1/contacts/${contactId}/events`, system, { name: '', occurredAt: 'yesterday', metadata: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.fields.map((f: Json) => f.field).sort()).toEqual(['metadata', 'name', 'occurredAt']);
      const huge = await api('POST', `/v1/contacts/${contactId}/events`, system, { name: 'x', metadata: { blob: 'x'.repeat(9000) } });
      expect(huge.status).toBe(400);
      expect((await api('POST', `/v1/contacts/${contactId}/events`, outsider, { name: 'x' })).status).toBe(404);
    });
  });

  describe('companies', () => {
    it('puts contacts in the company the business\'s data names, with its typed attributes', async () => {
      const ivy = await newContact({ firstName: 'Ivy' });
      const jay = await newContact({ firstName: 'Jay' });
      const set = await api('PUT', `/v1/contacts/${ivy}/company`, system, {
        companyId: 'acme-1', name: 'Acme', attributes: [{ key: 'industry', type: 'string', value: 'retail' }, { key: 'employees', type: 'number', value: 120 }],
      });
      expect(set).toMatchObject({ status: 200, body: { companyId: 'acme-1', name: 'Acme', attributes: { employees: { type: 'number', value: 120 } } } });
      await api('PUT', `/v1/contacts/${jay}/company`, system, { companyId: 'acme-1', attributes: [{ key: 'employees', type: 'number', value: 130 }] });
      const company = await api('GET', '/v1/companies/acme-1', member);
      expect(company.body).toMatchObject({
        name: 'Acme', contacts: 2,
        attributes: { industry: { type: 'string', value: 'retail' }, employees: { type: 'number', value: 130 } },
      });
      expect((await api('GET', `/v1/contacts/${ivy}`, member)).body.company).toMatchObject({ companyId: 'acme-1', name: 'Acme' });
      const updated = await awaitEvent(run.js, run.naming(), ContactUpdatedEvent, (e) => e.contactId === jay && e.changedFields.includes('company'));
      expect(updated.data.changedFields).toEqual(['company']);

      const wrongType = await api('PUT', `/v1/contacts/${jay}/company`, system, { companyId: 'acme-1', attributes: [{ key: 'employees', type: 'string', value: 'many' }] });
      expect(wrongType.status).toBe(400);
      expect((await api('DELETE', `/v1/contacts/${jay}/company`, member)).status).toBe(204);
      expect((await api('DELETE', `/v1/contacts/${jay}/company`, member)).status).toBe(404);
      expect((await api('GET', '/v1/companies/acme-1', member)).body.contacts).toBe(1);
      expect((await api('GET', '/v1/companies/acme-1', outsider)).status).toBe(404);
    });
  });

  describe('on merge and unmerge', () => {
    it('moves events, missing attributes and a missing company to the survivor, and back', async () => {
      const survivor = await newContact({ firstName: 'Kim' });
      const other = await newContact({ firstName: 'Kimberly' });
      await api('PUT', `/v1/contacts/${survivor}/attributes`, member, { attributes: [{ key: 'plan', type: 'string', value: 'basic' }] });
      await api('PUT', `/v1/contacts/${other}/attributes`, member, { attributes: [
        { key: 'plan', type: 'string', value: 'pro' }, { key: 'seats', type: 'number', value: 3 }] });
      await api('PUT', `/v1/contacts/${other}/company`, member, { companyId: 'globex', name: 'Globex' });
      const event = (await api('POST', `/v1/contacts/${other}/events`, system, { name: 'page_view' })).body;

      const dataSource = app.get(DataSource);
      const moved = await dataSource.transaction((tx) => moveCustomData(tx, other, survivor));
      expect(moved).toMatchObject({ eventIds: [event.id], attributeKeys: ['seats'] });
      const merged = (await api('GET', `/v1/contacts/${survivor}`, member)).body;
      expect(merged.attributes.map((a: Json) => [a.key, a.value])).toEqual([['plan', 'basic'], ['seats', 3]]);
      expect(merged.company).toMatchObject({ companyId: 'globex' });
      expect(merged.recentEvents.map((e: Json) => e.id)).toEqual([event.id]);

      await dataSource.transaction((tx) => moveCustomDataBack(tx, moved, survivor, other));
      const [back, restored] = await Promise.all([survivor, other].map(async (id) => (await api('GET', `/v1/contacts/${id}`, member)).body));
      expect(back).toMatchObject({ company: null, recentEvents: [] });
      expect(back.attributes.map((a: Json) => a.key)).toEqual(['plan']);
      expect(restored.attributes.map((a: Json) => [a.key, a.value])).toEqual([['plan', 'pro'], ['seats', 3]]);
      expect(restored.recentEvents.map((e: Json) => e.id)).toEqual([event.id]);
      expect(restored.company).toMatchObject({ companyId: 'globex' });
    });
  });
});
