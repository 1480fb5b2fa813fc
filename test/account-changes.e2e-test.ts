import { ConversationIdleEvent } from '@leadline/contracts';
import { collectEvents, eventually } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { LeadlineStack, type Json, type TestAccount } from './support/leadline-stack';

/**
 * What an account, its channels, its team and its keys say in accounts is what every other service does, end to
 * end: an inactive account captures and notifies nothing (and does again once reactivated); a widget with
 * capture-leads off captures nothing, one limited to some fields captures only those; a deactivated member's
 * session, a revoked API key and a changed role take effect at every service.
 */
describe('account, channel, member and key changes, acted on by every service', () => {
  let stack: LeadlineStack;
  let account: TestAccount;
  let key: Record<string, string>;
  const guarded = ['accounts', 'ingestion', 'identity', 'leads', 'notifications'] as const;

  beforeAll(async () => {
    stack = await LeadlineStack.start();
    account = await stack.createAccount('Changing');
    key = { authorization: `Bearer ${account.apiKey}` };
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const rows = async (service: string, table: string, where = 'account_id = $1', params: unknown[] = [account.id]) =>
    (await stack.run.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${stack.run.schema(service)}.${table} WHERE ${where}`, params))[0]!.n;

  async function say(widgetKey: string, text: string, deviceId = randomUUID()): Promise<string> {
    const sent = await eventually(async () => {
      const r = await stack.call('ingestion', 'POST', '/v1/webchat/messages', {}, { widgetKey, deviceId, clientMessageId: randomUUID(), text });
      return r.status === 202 ? (r.json as Json) : undefined;
    }, 15_000, 'ingestion to know the widget');
    return sent['conversationId'] as string;
  }

  /** The idle scanner has passed the conversation (its window is 1 s): whatever it would set off has been set off. */
  async function idlePassed(conversationId: string): Promise<void> {
    await eventually(async () => ((await rows('ingestion', 'conversations', 'id = $1 AND idle_deadline IS NULL AND last_idle_at IS NOT NULL', [conversationId])) === 1 ? true : undefined),
      15_000, 'the idle window to pass');
  }

  async function patchAccount(body: Json): Promise<void> {
    const changed = await stack.call('accounts', 'PATCH', `/v1/accounts/${account.id}`, key, body);
    expect(changed.status).toBe(200);
    const version = (changed.json as Json)['version'];
    // Each service keeps its own copy of the account: wait until the ones that act on it have this version.
    await eventually(async () => ((await rows('ingestion', 'account_snapshots', 'account_id = $1 AND version >= $2', [account.id, version])) === 1 ? true : undefined), 15_000, 'ingestion to hear of the change');
    await eventually(async () => ((await rows('notifications', 'local_accounts', 'account_id = $1 AND version >= $2', [account.id, version])) === 1 ? true : undefined), 15_000, 'notifications to hear of the change');
  }

  it('captures and notifies nothing while the account is inactive, and again once it is active', async () => {
    await patchAccount({ active: false });
    const notificationsBefore = await rows('notifications', 'notifications');
    const quiet = await say(account.widgetKey, 'Hi, I am Nora Quiet, nora.quiet@example.org, please call me back.');
    await idlePassed(quiet);
    // A contact added by hand while inactive is kept (and gets its lead), but tells nobody either.
    const manual = await stack.call('identity', 'POST', '/v1/contacts', key, { firstName: 'Walk', lastName: 'In', emails: ['walk.in@example.org'] });
    expect(manual.status).toBe(201);
    await eventually(async () => ((await rows('leads', 'leads', "account_id = $1 AND display_name = 'Walk In'")) === 1 ? true : undefined), 30_000, 'the hand-made contact\'s lead');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = await collectEvents(stack.run.js, stack.run.naming(), ConversationIdleEvent, (e) => e.conversationId === quiet, 1, 1000).catch(() => []);
    expect(idle).toEqual([]);
    expect(await rows('identity', 'identifiers', "account_id = $1 AND value = 'nora.quiet@example.org'")).toBe(0);
    expect(await rows('notifications', 'notifications')).toBe(notificationsBefore);

    await patchAccount({ active: true });
    const heard = await say(account.widgetKey, 'Hi, I am Otto Heard, otto.heard@example.org, I need a quote.');
    await eventually(async () => ((await rows('identity', 'identifiers', "account_id = $1 AND value = 'otto.heard@example.org'")) === 1 ? true : undefined), 30_000, 'the contact');
    await eventually(async () => ((await rows('notifications', 'notifications', "account_id = $1 AND title LIKE '%Otto%'")) > 0 ? true : undefined), 30_000, 'the New Lead notification');
    await idlePassed(heard);
  }, 120_000);

  it('captures nothing on a channel with capture-leads off, and only the listed fields once it is limited to them', async () => {
    const setWidget = async (settings: Json) => {
      const put = await stack.call('accounts', 'PUT', `/v1/accounts/${account.id}/channels`, key, { channels: [{ kind: 'webchat', address: account.widgetKey, ...settings }] });
      expect(put.status).toBe(200);
      const version = (put.json as Json)['version'];
      await eventually(async () => ((await rows('ingestion', 'account_snapshots', 'account_id = $1 AND version >= $2', [account.id, version])) === 1 ? true : undefined), 15_000, 'ingestion to hear of the channel');
    };
    await setWidget({ captureLeads: false });
    const off = await say(account.widgetKey, 'Hi, I am Paula Off, paula.off@example.org, call me on 415 555 0188.');
    await idlePassed(off);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await rows('identity', 'identifiers', "account_id = $1 AND value = 'paula.off@example.org'")).toBe(0);
    expect(await rows('leads', 'leads', "account_id = $1 AND display_name LIKE '%Paula%'")).toBe(0);

    await setWidget({ captureLeads: true, captureFields: ['email'] });
    await say(account.widgetKey, 'Hi, I am Quentin Limited, quentin.limited@example.org, call me on 415 555 0199.');
    await eventually(async () => ((await rows('identity', 'identifiers', "account_id = $1 AND value = 'quentin.limited@example.org'")) === 1 ? true : undefined), 30_000, 'the email-only contact');
    const [contact] = await stack.run.query<{ first_name: string | null; last_name: string | null; phones: number }>(
      `SELECT c.first_name, c.last_name, (SELECT count(*)::int FROM ${stack.run.schema('identity')}.identifiers p WHERE p.contact_id = c.id AND p.kind = 'phone') AS phones
         FROM ${stack.run.schema('identity')}.contacts c JOIN ${stack.run.schema('identity')}.identifiers i ON i.contact_id = c.id
        WHERE i.value = 'quentin.limited@example.org'`);
    expect(contact).toEqual({ first_name: null, last_name: null, phones: 0 });
  }, 120_000);

  it('ends a deactivated member\'s session at every service, and applies a role change at once', async () => {
    const session = async (memberId: string) => {
      const issued = await stack.call('accounts', 'POST', '/v1/sessions', key, { memberId });
      expect(issued.status).toBe(201);
      return { authorization: `Bearer ${(issued.json as Json)['token'] as string}` };
    };
    const agent = await session(account.agent);
    const reads: Record<(typeof guarded)[number], string> = {
      accounts: `/v1/accounts/${account.id}/members`, ingestion: '/v1/conversations', identity: '/v1/contacts', leads: '/v1/leads', notifications: '/v1/members',
    };
    for (const service of guarded) expect([service, (await stack.call(service, 'GET', reads[service], agent)).status]).toEqual([service, 200]);
    // An agent may not manage webhooks; promoted, the same token may, at once; demoted, no more.
    expect((await stack.call('notifications', 'GET', '/v1/webhooks', agent)).status).toBe(403);
    const promote = async (role: string) => expect((await stack.call('accounts', 'PATCH', `/v1/accounts/${account.id}/members/${account.agent}`, key, { role })).status).toBe(200);
    await promote('admin');
    await eventually(async () => ((await stack.call('notifications', 'GET', '/v1/webhooks', agent)).status === 200 ? true : undefined), 10_000, 'the promotion to reach notifications');
    await promote('agent');
    await eventually(async () => ((await stack.call('notifications', 'GET', '/v1/webhooks', agent)).status === 403 ? true : undefined), 10_000, 'the demotion to reach notifications');

    expect((await stack.call('accounts', 'PATCH', `/v1/accounts/${account.id}/members/${account.agent}`, key, { active: false })).status).toBe(200);
    for (const service of guarded) {
      await eventually(async () => ((await stack.call(service, 'GET', reads[service], agent)).status === 401 ? true : undefined), 10_000, `${service} to refuse the deactivated member`);
    }
    expect((await stack.call('accounts', 'POST', '/v1/sessions', key, { memberId: account.agent })).status).toBe(404);
  }, 120_000);

  it('stops accepting a revoked API key at every service', async () => {
    const issued = await stack.call('accounts', 'POST', `/v1/accounts/${account.id}/api-keys`, key, { name: 'CRM sync' });
    expect(issued.status).toBe(201);
    const crm = { authorization: `Bearer ${(issued.json as Json)['key'] as string}` };
    const reads: Record<(typeof guarded)[number], string> = {
      accounts: `/v1/accounts/${account.id}`, ingestion: '/v1/conversations', identity: '/v1/contacts', leads: '/v1/leads', notifications: '/v1/members',
    };
    for (const service of guarded) {
      await eventually(async () => ((await stack.call(service, 'GET', reads[service], crm)).status === 200 ? true : undefined), 10_000, `${service} to learn the key`);
    }
    expect((await stack.call('accounts', 'DELETE', `/v1/accounts/${account.id}/api-keys/${(issued.json as Json)['id'] as string}`, key)).status).toBe(204);
    for (const service of guarded) {
      await eventually(async () => ((await stack.call(service, 'GET', reads[service], crm)).status === 401 ? true : undefined), 10_000, `${service} to refuse the revoked key`);
    }
    expect((await stack.call('leads', 'GET', '/v1/leads', key)).status).toBe(200);
  }, 120_000);
});
