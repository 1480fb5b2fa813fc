import {
  ContactSummaryCreatedEvent, LeadCreatedEvent, LeadScoredEvent, LeadStatusChangedEvent, type LeadStatus,
} from '@leadline/contracts';
import { eventually, memberHeaders, publishEvent, startService, systemHeaders, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { notificationsService } from '../notifications.service-definition';
import {
  api, APP_URL, handled, leadCreated, notificationsOf, seedAccount, summaryCreated, type SeededMember,
} from '../test-support/fixtures';
import { WebhookReceiver } from '../test-support/webhook-receiver';

interface Rule {
  id: string;
  name: string;
  trigger: string;
  conditions: unknown[];
  action: { type: string; memberIds?: string[]; endpointId?: string };
  enabled: boolean;
}

describe('automations: trigger, conditions, action', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let url: string;
  let accountId: string;
  let ann: SeededMember; // All events
  let bob: SeededMember; // Only my events, follows nothing
  let dan: SeededMember; // off
  let receiver: WebhookReceiver;
  const admin = () => systemHeaders(accountId);

  beforeAll(async () => {
    run = await TestRun.start();
    receiver = await WebhookReceiver.start(200);
    ({ app, url } = await startService(run, notificationsService, { PUBLIC_APP_URL: APP_URL, DELIVERY_POLL_MS: '50' }));
    const seeded = await seedAccount(run, [{ name: 'Ann', preference: 'all', role: 'admin' }, { name: 'Bob', preference: 'mine' },
      { name: 'Dan', preference: 'off' }]);
    accountId = seeded.accountId;
    [ann, bob, dan] = seeded.members as [SeededMember, SeededMember, SeededMember];
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.stop();
    await run?.cleanup();
  });

  const statusChanged = (lead: ReturnType<typeof leadCreated>, from: LeadStatus, to: LeadStatus) => ({
    accountId, leadId: lead.leadId, contactId: lead.contactId, from, to, active: true, changedBy: ann.memberId,
    changedAt: new Date().toISOString(),
  });

  it('manages rules through the API and refuses rules that cannot work', async () => {
    const invalid = await api<{ fields: { field: string }[] }>(url, 'POST', '/v1/automations', admin(), {
      name: 'x', trigger: 'lead_status_changed',
      conditions: [{ field: 'cycle', op: 'equals', value: 1 }, { field: 'score', op: 'gte', value: 'high' }],
      action: { type: 'notify', memberIds: [randomUUID()] },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.fields.map((f) => f.field).sort()).toEqual(['action.memberIds', 'conditions.0.field', 'conditions.1.value']);
    const shape = await api<{ fields: { field: string }[] }>(url, 'POST', '/v1/automations', admin(), {
      name: '', trigger: 'moon_phase', action: { type: 'email' },
    });
    expect(shape.body.fields.map((f) => f.field).sort()).toEqual(['action.type', 'name', 'trigger']);
    const noEndpoint = await api<{ fields: { field: string }[] }>(url, 'POST', '/v1/automations', admin(), {
      name: 'x', trigger: 'lead_created', action: { type: 'webhook', endpointId: randomUUID() },
    });
    expect(noEndpoint.body.fields.map((f) => f.field)).toEqual(['action.endpointId']);
    expect((await api(url, 'POST', '/v1/automations', memberHeaders(accountId, { memberId: bob.memberId, role: 'agent' }), {
      name: 'x', trigger: 'lead_created', action: { type: 'notify', memberIds: [bob.memberId] },
    })).status).toBe(403);

    const created = await api<Rule>(url, 'POST', '/v1/automations', admin(), {
      name: 'Temporary', trigger: 'lead_created', action: { type: 'notify', memberIds: [bob.memberId] },
    });
    expect(created).toMatchObject({ status: 201, body: { enabled: true, conditions: [] } });
    const changed = await api<Rule>(url, 'PATCH', `/v1/automations/${created.body.id}`, admin(), { enabled: false, name: 'Off' });
    expect(changed.body).toMatchObject({ enabled: false, name: 'Off', trigger: 'lead_created' });
    expect((await api(url, 'GET', `/v1/automations/${created.body.id}`, systemHeaders(randomUUID()))).status).toBe(404);
    expect((await api(url, 'DELETE', `/v1/automations/${created.body.id}`, admin())).status).toBe(204);
    expect((await api(url, 'GET', `/v1/automations/${created.body.id}`, admin())).status).toBe(404);
  });

  it('"a contact communication summary is created" notifies the chosen members on later idle cycles', async () => {
    const rule = (await api<Rule>(url, 'POST', '/v1/automations', admin(), {
      name: 'Returning visitor wrote again', trigger: 'contact_summary_created',
      conditions: [{ field: 'channel', op: 'in', value: ['webchat', 'sms'] }],
      action: { type: 'notify', memberIds: [bob.memberId, dan.memberId] },
    })).body;
    const summary = summaryCreated(accountId);
    await handled(run, await publishEvent(run.js, run.naming(), ContactSummaryCreatedEvent, summary));
    const rows = await notificationsOf(run, accountId, `conversation_id = $2`, 1, [summary.conversationId]);
    expect(rows).toEqual([expect.objectContaining({
      member_id: bob.memberId, kind: 'automation', title: 'Returning visitor wrote again: John Smith', // Dan's preference is off
      body: expect.objectContaining({ summary: summary.summary, conversationUrl: summary.conversationUrl, ruleId: rule.id }),
    })]);
    const voice = summaryCreated(accountId, { channel: 'voice' });
    await handled(run, await publishEvent(run.js, run.naming(), ContactSummaryCreatedEvent, voice));
    expect(await run.query(`SELECT 1 FROM ${run.schema('notifications')}.notifications WHERE conversation_id = $1`,
      [voice.conversationId])).toEqual([]); // the channel condition does not hold
  });

  it('a lead status change with conditions calls a webhook, and notifies, once per rule', async () => {
    const endpoint = (await api<{ id: string }>(url, 'POST', '/v1/webhooks', admin(), { url: receiver.url, kinds: ['automation'] })).body;
    const hot = (await api<Rule>(url, 'POST', '/v1/automations', admin(), {
      name: 'Qualified hot lead', trigger: 'lead_status_changed',
      conditions: [{ field: 'status', op: 'equals', value: 'qualified' }, { field: 'score', op: 'gte', value: 70 }],
      action: { type: 'webhook', endpointId: endpoint.id },
    })).body;
    await api<Rule>(url, 'POST', '/v1/automations', admin(), {
      name: 'Qualified', trigger: 'lead_status_changed', conditions: [{ field: 'status', op: 'equals', value: 'qualified' }],
      action: { type: 'notify', memberIds: [ann.memberId] },
    });
    const lead = leadCreated(accountId, { score: 55 });
    await handled(run, await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead));
    await handled(run, await publishEvent(run.js, run.naming(), LeadStatusChangedEvent, statusChanged(lead, 'new', 'qualified')));
    const told = await notificationsOf(run, accountId, `kind = 'automation' AND conversation_id = $2`, 1, [lead.conversationId]);
    expect(told).toEqual([expect.objectContaining({
      member_id: ann.memberId, title: 'Qualified: John Smith',
      // A status change carries ids only; the contact's fields and summary come from the lead.created seen before.
      body: expect.objectContaining({ summary: lead.summary, conversationUrl: lead.conversationUrl,
        contact: expect.objectContaining({ firstName: 'John', emails: ['john@email.com'] }) }),
    })]);
    expect(receiver.received).toHaveLength(0); // score 55 < 70

    await handled(run, await publishEvent(run.js, run.naming(), LeadScoredEvent, {
      accountId, leadId: lead.leadId, contactId: lead.contactId, score: 82, source: 'manual', previousScore: 55,
      scoredAt: new Date().toISOString(),
    }));
    const change = statusChanged(lead, 'follow_up', 'qualified');
    await publishEvent(run.js, run.naming(), LeadStatusChangedEvent, change);
    const hit = await eventually(async () => receiver.received[0], 10_000, 'the automation webhook');
    expect(JSON.parse(hit.body)).toMatchObject({
      type: 'automation', accountId,
      data: expect.objectContaining({ ruleId: hot.id, title: 'Qualified hot lead: John Smith', conversationId: lead.conversationId,
        facts: expect.objectContaining({ status: 'qualified', score: 82, channel: 'webchat' }) }),
    });
    const again = await notificationsOf(run, accountId, `kind = 'automation' AND conversation_id = $2`, 2, [lead.conversationId]);
    expect(again).toHaveLength(2); // one per status-change event for the notify rule
    expect(receiver.received).toHaveLength(1);
  });

  it('tells nobody twice about one event: rules add nothing for whoever was told, and join the endpoint\'s one call', async () => {
    const crm = await WebhookReceiver.start(200);
    const created: string[] = [];
    try {
      const endpoint = (await api<{ id: string }>(url, 'POST', '/v1/webhooks', admin(), { url: crm.url })).body; // every kind
      const rule = async (name: string, action: Rule['action']) => {
        const made = (await api<Rule>(url, 'POST', '/v1/automations', admin(), { name, trigger: 'lead_created', action })).body;
        created.push(made.id);
        return made;
      };
      await rule('Every new lead', { type: 'notify', memberIds: [ann.memberId, bob.memberId] });
      await rule('Bob wants new leads', { type: 'notify', memberIds: [bob.memberId] });
      const toCrm = await rule('New lead to the CRM', { type: 'webhook', endpointId: endpoint.id });
      const again = await rule('New lead to the CRM again', { type: 'webhook', endpointId: endpoint.id });

      const lead = leadCreated(accountId);
      await handled(run, await publishEvent(run.js, run.naming(), LeadCreatedEvent, lead));
      const rows = await notificationsOf(run, accountId, `conversation_id = $2`, 2, [lead.conversationId]);
      // Ann (All events) has her New Lead and no rule's notification on top; Bob (follows nothing) hears once, from the first rule.
      expect(rows.map((r) => [r.member_id, r.kind, r.title])).toEqual([
        [ann.memberId, 'new_lead', 'New Lead: John Smith'], [bob.memberId, 'automation', 'Every new lead: John Smith'],
      ].sort((a, b) => a[0]!.localeCompare(b[0]!)));

      const hit = await eventually(async () => crm.received.find((r) => r.body.includes(lead.leadId)), 10_000, 'the CRM call');
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a (wrong) second call
      expect(crm.received.filter((r) => r.body.includes(lead.leadId))).toHaveLength(1);
      expect(JSON.parse(hit.body)).toMatchObject({ type: 'new_lead', data: expect.objectContaining({ ruleIds: [toCrm.id, again.id] }) });
    } finally {
      for (const id of created) await api(url, 'DELETE', `/v1/automations/${id}`, admin());
      await crm.stop();
    }
  });
});
