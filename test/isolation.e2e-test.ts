import { memberHeaders, systemHeaders } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { LeadlineStack, type Conversation, type Json, type TestAccount } from './support/leadline-stack';
import { resourceId, segmentBefore } from './support/resource-ids';
import { endpointsOf, fillPath, type Endpoint } from './support/route-catalogue';
import { validBody } from './support/request-shapes';

/**
 * Tenant isolation, for every endpoint of every service as the running apps list them (so a new endpoint is
 * covered the day it is added): account B's credentials on account A's resources are answered exactly as a
 * resource that does not exist (the same 404/403/400 and body), B's lists never show A's data, and nothing of
 * A changes.
 */
describe('tenant isolation across every endpoint', () => {
  let stack: LeadlineStack;
  let a: TestAccount;
  let b: TestAccount;
  let aData: Conversation;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    stack = await LeadlineStack.start();
    a = await stack.createAccount('Alpha');
    b = await stack.createAccount('Bravo');
    aData = await stack.converse(a, 'jane.alpha@example.org');
    await stack.converse(b, 'john.bravo@example.org');
    endpoints = Object.entries(stack.apps).flatMap(([service, app]) => endpointsOf(service, app));
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  async function settled(): Promise<Record<string, string>> {
    let last = await stack.fingerprint({ accountId: a.id });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const now = await stack.fingerprint({ accountId: a.id });
      if (JSON.stringify(now) === JSON.stringify(last)) return now;
      last = now;
    }
  }

  const normalize = (text: string, ids: string[]) => ids.reduce((out, id) => out.split(id).join('<id>'), text);

  it('answers B on A\'s resources as on resources that do not exist, shows B nothing of A, and changes nothing of A', async () => {
    expect(endpoints.length).toBeGreaterThan(15);
    const before = await settled();
    const aSecrets = [a.id, a.admin, a.agent, aData.conversationId, aData.contactId, aData.leadId, aData.notificationId, aData.email, aData.deviceId];
    const outcomes: string[] = [];
    const problems: string[] = [];
    const credentials = { 'B admin': memberHeaders(b.id, { memberId: b.admin, role: 'admin' }), 'B system': systemHeaders(b.id) };

    for (const endpoint of endpoints.filter((e) => !e.public)) {
      for (const [who, headers] of Object.entries(credentials)) {
        const label = `${who} ${endpoint.method} ${endpoint.service}${endpoint.path}`;
        const randomIds = new Map<string, string>();
        const random = (name: string) => randomIds.get(name) ?? randomIds.set(name, randomUUID()).get(name)!;
        const aId = (name: string, segment = '') => resourceId(a, aData, name, segment) ?? random(name);
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(endpoint.method);
        const bodyFor = (id: (field: string) => string) => (hasBody ? (endpoint.body ? validBody(endpoint.body, id) : {}) : undefined);

        // With A's ids in the path, the body names nothing of A (so the path is what is tested); without any,
        // the body carries A's ids (bulk actions, merges, sessions by member id).
        const path = fillPath(endpoint, (p) => aId(p, segmentBefore(endpoint.path, p)));
        const body = bodyFor(endpoint.params.length > 0 ? random : (f) => aId(f));
        const onA = await stack.call(endpoint.service, endpoint.method, path, headers, body);
        if (onA.status >= 500) problems.push(`${label}: ${onA.status} ${onA.text.slice(0, 200)}`);
        const asked = `${path} ${JSON.stringify(body ?? '')}`;
        for (const secret of aSecrets.filter((s) => !asked.includes(s))) {
          if (onA.text.includes(secret)) problems.push(`${label}: the answer shows A's ${secret}`);
        }
        if (endpoint.params.length > 0) {
          const onNothing = await stack.call(endpoint.service, endpoint.method, fillPath(endpoint, random), headers, bodyFor(random));
          const ids = [...aSecrets, ...randomIds.values()];
          if (onA.status !== onNothing.status || normalize(onA.text, ids) !== normalize(onNothing.text, ids)) {
            problems.push(`${label}: A's resource answered ${onA.status} ${onA.text.slice(0, 120)}, a missing one ${onNothing.status} ${onNothing.text.slice(0, 120)}`);
          }
          // A 2xx here is the same answer as for a missing resource (e.g. a count of 0 in B's account): it reveals
          // nothing, and the fingerprint below proves it changed nothing. It is listed in the outcomes.
        }
        outcomes.push(`${onA.status} ${label}`);
      }
    }
    const after = await settled();
    process.stdout.write(`isolation: ${endpoints.length} endpoints (${endpoints.filter((e) => e.public).length} public), ${outcomes.length} cross-account calls\n${outcomes.sort().join('\n')}\n`);
    expect(problems).toEqual([]);
    expect(after).toEqual(before);
  });

  it('answers every guarded endpoint 401 without a credential', async () => {
    const answers = await Promise.all(endpoints.filter((e) => !e.public).map(async (endpoint) => {
      const body = ['POST', 'PUT', 'PATCH'].includes(endpoint.method) ? {} : undefined;
      const reply = await stack.call(endpoint.service, endpoint.method, fillPath(endpoint, () => randomUUID()), {}, body);
      return `${endpoint.method} ${endpoint.service}${endpoint.path} ${reply.status}`;
    }));
    expect(answers.filter((answer) => !answer.endsWith(' 401'))).toEqual([]);
  });

  it('answers an agent 403 on every @AdminOnly() endpoint of every service, and changes nothing', async () => {
    const adminOnly = endpoints.filter((e) => e.adminOnly && !e.public);
    expect(adminOnly.length).toBeGreaterThan(0);
    const before = await settled();
    const agent = memberHeaders(a.id, { memberId: a.agent, role: 'agent' });
    const answers = await Promise.all(adminOnly.map(async (endpoint) => {
      const path = fillPath(endpoint, (p) => resourceId(a, aData, p, segmentBefore(endpoint.path, p)) ?? randomUUID());
      const body = ['POST', 'PUT', 'PATCH'].includes(endpoint.method)
        ? (endpoint.body ? validBody(endpoint.body, (f) => resourceId(a, aData, f) ?? randomUUID()) : {}) : undefined;
      return `${endpoint.method} ${endpoint.service}${endpoint.path} ${(await stack.call(endpoint.service, endpoint.method, path, agent, body)).status}`;
    }));
    process.stdout.write(`admin-only: ${answers.join('\n')}\n`);
    expect(answers.filter((answer) => !answer.endsWith(' 403'))).toEqual([]);
    expect(await settled()).toEqual(before);
  });

  it('still shows A its own data (the checks above are not vacuous)', async () => {
    const leads = await stack.call('leads', 'GET', `/v1/leads/${aData.leadId}`, memberHeaders(a.id, { memberId: a.admin }));
    expect(leads.status).toBe(200);
    const asB = await stack.call('leads', 'GET', `/v1/leads/${aData.leadId}`, memberHeaders(b.id, { memberId: b.admin }));
    expect(asB.status).toBe(404);
    expect((leads.json as Json)['id']).toBe(aData.leadId);
  });
});
