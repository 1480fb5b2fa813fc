import { memberHeaders } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { seedResources, type Resources } from './support/account-resources';
import { LeadlineStack, type Conversation, type Json, type Reply, type TestAccount } from './support/leadline-stack';
import { PUBLIC_CASES, signedChannels, type Channels, type PublicRequest } from './support/public-requests';
import { resourceId, segmentBefore } from './support/resource-ids';
import { endpointsOf, fillPath, type Endpoint } from './support/route-catalogue';
import { queryString, requiredProperties, validBody, type JsonValue } from './support/request-shapes';

/**
 * Tenant isolation, for every endpoint of every service as the running apps list them (so a new endpoint is
 * covered the day it is added). Account B's credentials are tried on each of account A's records, one id at a
 * time (path parameters, body fields, query filters), with everything else in the request valid for B: each
 * answer must be exactly the one for an id that does not exist (same status, same body), nothing of A may show,
 * and nothing of A may change. A request refused as invalid (400) proves nothing, so each such refusal is
 * repeated with B's own records and must then pass validation. Public endpoints are tried with B's own
 * secrets (widget identity, Twilio token, webhook secrets, visitor session) on A's channels.
 */
type Ids = (field: string, segment?: string) => string;
type Body = Record<string, JsonValue> | string;

interface Sent {
  path: string;
  body?: Body;
}

interface Variant {
  what: string;
  onA: Sent;
  onNothing?: Sent;
  /** The same request with B's own records: it must pass validation when the call on A is answered 400. */
  control: Sent;
  /** The values that name A's record and the missing one: answers may echo them. */
  named: string[];
}

/**
 * What the body generator cannot read from the DTOs: fields that only count together (bulk: `leadIds` or
 * `filter`; an automation's action and its conditions, checked against its trigger; an agent's reply and its
 * member), and bodies that are not JSON. Per endpoint, one body per id field it names. A bulk `cursor` is a
 * position in id order, not a record: it is not varied.
 */
const BODY_HINTS: Record<string, Record<string, (ids: Ids) => Body>> = {
  'POST leads/v1/leads/bulk': {
    leadIds: (ids) => ({ action: 'status', status: 'contacted', leadIds: [ids('leadIds')] }),
    agentId: (ids) => ({ action: 'assign', agentId: ids('agentId'), leadIds: [ids('leadIds')] }),
    filterAgentId: (ids) => ({ action: 'status', status: 'contacted', filter: { agentId: ids('filterAgentId') } }),
  },
  // An agent's reply names its member (an AI reply names none); each call its own message, so none is a repeat.
  'POST ingestion/v1/conversations/:conversationId/replies': {
    memberId: (ids) => ({ author: 'agent', memberId: ids('memberId'), clientMessageId: randomUUID(), text: 'Happy to help.' }),
  },
  'POST notifications/v1/automations': {
    memberIds: (ids) => ({ name: 'Tell', trigger: 'contact_summary_created', action: { type: 'notify', memberIds: [ids('memberIds')] } }),
    endpointId: (ids) => ({ name: 'Call', trigger: 'contact_summary_created', action: { type: 'webhook', endpointId: ids('endpointId') } }),
  },
  'PATCH notifications/v1/automations/:id': {
    memberIds: (ids) => ({ action: { type: 'notify', memberIds: [ids('memberIds')] } }),
    endpointId: (ids) => ({ action: { type: 'webhook', endpointId: ids('endpointId') } }),
  },
  // B imports a file naming A's visitor: it may only make or match contacts of B.
  'POST identity/v1/contacts/import': {
    own: () => 'first_name,last_name,email,phone\nJane,Roe,jane.alpha@example.org,+14155550123\n',
  },
};

describe('tenant isolation across every endpoint', () => {
  let stack: LeadlineStack;
  let a: TestAccount;
  let b: TestAccount;
  let aData: Conversation;
  let bData: Conversation;
  let aMore: Resources;
  let bMore: Resources;
  let aChannels: Channels;
  let bChannels: Channels;
  let endpoints: Endpoint[];

  beforeAll(async () => {
    stack = await LeadlineStack.start();
    a = await stack.createAccount('Alpha');
    b = await stack.createAccount('Bravo');
    aData = await stack.converse(a, 'jane.alpha@example.org');
    bData = await stack.converse(b, 'john.bravo@example.org');
    aMore = await seedResources(stack, a, aData);
    bMore = await seedResources(stack, b, bData);
    aChannels = await signedChannels(stack, a, aData.deviceId);
    // B's visitor session is for the device id A's visitor uses: the same browser on both businesses' sites.
    bChannels = await signedChannels(stack, b, aData.deviceId);
    endpoints = Object.entries(stack.apps).flatMap(([service, app]) => endpointsOf(service, app));
  }, 300_000);

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

  const aId: Ids = (field, segment = '') => resourceId(a, aData, field, segment, aMore) ?? randomUUID();
  const bId: Ids = (field, segment = '') => resourceId(b, bData, field, segment, bMore) ?? randomUUID();
  // Ids and times differ between any two answers (a request's own ids, records made now): the rest must not.
  const normalize = (text: string, named: string[]) => named.reduce((out, value) => out.split(value).join('<id>'), text)
    .replace(UUID, '<id>').replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>');
  const hasBody = (endpoint: Endpoint) => ['POST', 'PUT', 'PATCH'].includes(endpoint.method);

  /** The fields of a DTO that name a record of A (the generator asks for a UUID for them, and A has one). */
  function idFields(dto: Endpoint['body']): string[] {
    if (!dto) return [];
    const fields = new Set<string>();
    validBody(dto, (field) => { fields.add(field); return randomUUID(); });
    return [...fields].filter((field) => resourceId(a, aData, field, '', aMore) !== undefined);
  }

  /**
   * Every way of naming one record of A in a request to the endpoint (each path parameter, each id field of the
   * body or the query), each with the rest of the request naming B's own records.
   */
  function variants(endpoint: Endpoint): Variant[] {
    const key = `${endpoint.method} ${endpoint.service}${endpoint.path}`;
    const hints = BODY_HINTS[key];
    const pathWith = (ids: Ids) => fillPath(endpoint, (p) => ids(p, segmentBefore(endpoint.path, p)));
    const bodyWith = (ids: Ids, field?: string): Body | undefined => {
      if (!hasBody(endpoint)) return undefined;
      if (hints) return hints[field ?? Object.keys(hints)[0]!]!(ids);
      return endpoint.body ? validBody(endpoint.body, (f) => ids(f)) : {};
    };
    const queryWith = (ids: Ids, only?: string) => {
      if (!endpoint.query) return '';
      const required = requiredProperties(endpoint.query);
      const all = validBody(endpoint.query, (f) => ids(f));
      return queryString(Object.fromEntries(Object.entries(all).filter(([name]) => required.has(name) || name === only)));
    };
    const randomIds = new Map<string, string>();
    const random: Ids = (field) => randomIds.get(field) ?? randomIds.set(field, randomUUID()).get(field)!;
    /** `ids` for the one field, B's own for the rest. */
    const one = (field: string, ids: Ids): Ids => (f, segment) => (f === field ? ids(f, segment) : bId(f, segment));
    const control = { path: pathWith(bId) + queryWith(bId), body: bodyWith(bId) };
    const found: Variant[] = [];
    const named = (field: string, segment?: string) => [aId(field, segment), random(field)];
    for (const param of endpoint.params) {
      const at = (ids: Ids) => ({ path: pathWith(one(param, ids)) + queryWith(bId), body: bodyWith(bId) });
      found.push({ what: `path :${param}`, onA: at(aId), onNothing: at(random), control, named: named(param, segmentBefore(endpoint.path, param)) });
    }
    const bodyFields = hints ? Object.keys(hints).filter((field) => field !== 'own') : idFields(endpoint.body);
    for (const field of hasBody(endpoint) ? bodyFields : []) {
      const ids = (which: Ids): Ids => (f) => ((hints ? f === field || f.toLowerCase().includes(field.toLowerCase()) : f === field) ? which(f) : bId(f));
      const at = (which: Ids) => ({ path: pathWith(bId) + queryWith(bId), body: bodyWith(ids(which), field) });
      found.push({ what: `body ${field}`, onA: at(aId), onNothing: at(random), control: { ...control, body: bodyWith(bId, field) }, named: [] });
    }
    for (const field of idFields(endpoint.query)) {
      const at = (ids: Ids) => ({ path: pathWith(bId) + queryWith(one(field, ids), field), body: bodyWith(bId) });
      found.push({ what: `query ${field}`, onA: at(aId), onNothing: at(random), control, named: named(field) });
    }
    // Nothing of A to name (lists, counts, exports, creations): B's own request must show nothing of A.
    if (found.length === 0) found.push({ what: 'own', onA: control, control, named: [] });
    return found;
  }

  it('names a real record of A for every path parameter of every endpoint (or the test below proves little)', () => {
    const unknown = endpoints.filter((e) => !e.public).flatMap((endpoint) => endpoint.params
      .filter((p) => resourceId(a, aData, p, segmentBefore(endpoint.path, p), aMore) === undefined)
      .map((p) => `${endpoint.method} ${endpoint.service}${endpoint.path} :${p}`));
    expect(unknown).toEqual([]);
  });

  it('answers B on A\'s records as on records that do not exist, shows B nothing of A, and changes nothing of A', async () => {
    expect(endpoints.length).toBeGreaterThan(15);
    const before = await settled();
    const aSecrets = [a.id, a.admin, a.agent, aData.conversationId, aData.contactId, aData.leadId, aData.notificationId, aData.email, aData.deviceId, ...Object.values(aMore)];
    const outcomes: string[] = [];
    const problems: string[] = [];
    // An admin's session and the account's real API key (a system: admin rights within its account).
    const credentials = { 'B admin': memberHeaders(b.id, { memberId: b.admin, role: 'admin' }), 'B API key': { authorization: `Bearer ${b.apiKey}` } };

    for (const endpoint of endpoints.filter((e) => !e.public)) {
      for (const variant of variants(endpoint)) {
        for (const [who, headers] of Object.entries(credentials)) {
          const label = `${who} ${endpoint.method} ${endpoint.service}${endpoint.path} [${variant.what}]`;
          const call = (request: Sent) => stack.call(endpoint.service, endpoint.method, request.path,
            typeof request.body === 'string' ? { ...headers, 'content-type': 'text/csv' } : headers, request.body);
          const onA = await call(variant.onA);
          if (onA.status >= 500) problems.push(`${label}: ${onA.status} ${onA.text.slice(0, 200)}`);
          const asked = `${variant.onA.path} ${JSON.stringify(variant.onA.body ?? '')}`;
          for (const secret of aSecrets.filter((s) => !asked.includes(s))) {
            if (onA.text.includes(secret)) problems.push(`${label}: the answer shows A's ${secret}`);
          }
          if (variant.onNothing) {
            const onNothing = await call(variant.onNothing);
            if (onA.status !== onNothing.status || normalize(onA.text, variant.named) !== normalize(onNothing.text, variant.named)) {
              problems.push(`${label}: A's record answered ${onA.status} ${onA.text.slice(0, 160)}, a missing one ${onNothing.status} ${onNothing.text.slice(0, 160)}`);
            }
          }
          if (onA.status === 400) {
            const control = variant.onA === variant.control ? onA : await call(variant.control);
            if (control.status === 400) problems.push(`${label}: refused as invalid even with B's own records, so it shows nothing: ${control.text.slice(0, 200)}`);
          }
          outcomes.push(`${onA.status} ${label}`);
        }
      }
    }
    const after = await settled();
    process.stdout.write(`isolation: ${endpoints.length} endpoints (${endpoints.filter((e) => e.public).length} public), ${outcomes.length} cross-account calls\n${outcomes.sort().join('\n')}\n`);
    expect(problems).toEqual([]);
    expect(after).toEqual(before);
  }, 600_000);

  it('refuses B\'s own widget identity, Twilio token, webhook secrets and visitor session on A\'s channels', async () => {
    const publicEndpoints = endpoints.filter((e) => e.public).map((e) => `${e.method} ${e.service}${e.path}`).sort();
    // A public endpoint nobody describes in PUBLIC_CASES fails here: describe how it is called, then it is tested.
    expect(publicEndpoints).toEqual(Object.keys(PUBLIC_CASES).sort());
    const before = await settled();
    const send = (request: PublicRequest): Promise<Reply> =>
      stack.call(request.service, request.method, request.path, request.headers, request.body);
    const problems: string[] = [];
    const aTexts = [aData.conversationId, aData.contactId, aData.email, 'jane.alpha'];
    // Shutting B's session down ends it: last.
    const keys = Object.keys(PUBLIC_CASES).sort((x, y) => Number(x.endsWith('shutdown')) - Number(y.endsWith('shutdown')));
    for (const key of keys) {
      const publicCase = PUBLIC_CASES[key]!;
      const base = (request: PublicRequest) => stack.urls[request.service]!;
      const cross = publicCase.signed(aChannels, bChannels, stack.urls['ingestion']!);
      const onA = await send(cross);
      if (publicCase.cross === 'refused' && (onA.status < 400 || onA.status >= 500)) problems.push(`${key}: B's secret on A's channel answered ${onA.status} ${onA.text.slice(0, 200)}`);
      if (publicCase.cross === 'own-only' && onA.status >= 300) problems.push(`${key}: B's own session answered ${onA.status} ${onA.text.slice(0, 200)}`);
      for (const text of aTexts) if (onA.text.includes(text)) problems.push(`${key}: the answer shows A's ${text}`);
      if (publicCase.cross === 'refused' && publicCase.ownAccepted !== false) {
        const own = await send(publicCase.signed(bChannels, bChannels, base(cross)));
        if (own.status >= 300) problems.push(`${key}: B's secret on B's own channel answered ${own.status} ${own.text.slice(0, 200)} (so the refusal above proves nothing)`);
      }
    }
    expect(problems).toEqual([]);
    expect(await settled()).toEqual(before);
  }, 300_000);

  it('answers every guarded endpoint 401 without a credential', async () => {
    const answers = await Promise.all(endpoints.filter((e) => !e.public).map(async (endpoint) => {
      const body = hasBody(endpoint) ? {} : undefined;
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
      const path = fillPath(endpoint, (p) => aId(p, segmentBefore(endpoint.path, p)));
      const body = hasBody(endpoint) ? (endpoint.body ? validBody(endpoint.body, (f) => aId(f)) : {}) : undefined;
      return `${endpoint.method} ${endpoint.service}${endpoint.path} ${(await stack.call(endpoint.service, endpoint.method, path, agent, body)).status}`;
    }));
    process.stdout.write(`admin-only: ${answers.join('\n')}\n`);
    expect(answers.filter((answer) => !answer.endsWith(' 403'))).toEqual([]);
    expect(await settled()).toEqual(before);
  }, 300_000);

  it('still shows A its own data (the checks above are not vacuous)', async () => {
    const admin = memberHeaders(a.id, { memberId: a.admin });
    const lead = await stack.call('leads', 'GET', `/v1/leads/${aData.leadId}`, admin);
    expect(lead.status).toBe(200);
    expect((lead.json as Json)['id']).toBe(aData.leadId);
    expect((await stack.call('notifications', 'GET', `/v1/webhooks/${aMore['webhooks']!}`, admin)).status).toBe(200);
    expect((await stack.call('identity', 'GET', `/v1/merges/${aMore['mergeid']!}`, admin)).status).toBe(200);
    expect((await stack.call('leads', 'GET', `/v1/leads/${aData.leadId}`, memberHeaders(b.id, { memberId: b.admin }))).status).toBe(404);
  });
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
