import { eventually, memberHeaders } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import type { Conversation, Json, LeadlineStack, TestAccount } from './leadline-stack';

/**
 * Ids of an account's records beyond the conversation, contact, lead and notification `converse()` makes, keyed
 * as path parameters name them (`followupid`; for a bare `:id`, the segment before it: `webhooks`). With them
 * every path parameter of every endpoint names a real record, so a cross-account call is tried on something that
 * exists rather than on an id nobody has.
 */
export type Resources = Record<string, string>;

/** One of every kind of record the APIs let an account own, made by the account's admin through those APIs. */
export async function seedResources(stack: LeadlineStack, account: TestAccount, data: Conversation): Promise<Resources> {
  const admin = memberHeaders(account.id, { memberId: account.admin, role: 'admin' });
  const tag = randomUUID().replace(/-/g, '').slice(0, 8);
  const call = async (service: string, method: string, path: string, body?: unknown): Promise<Json> => {
    const reply = await stack.call(service, method, path, admin, body);
    if (reply.status >= 300) throw new Error(`seeding ${account.name}: ${method} ${service}${path} answered ${reply.status} ${reply.text}`);
    return (reply.json ?? {}) as Json;
  };
  const contactPath = `/v1/contacts/${data.contactId}`;

  const identifier = await call('identity', 'POST', `${contactPath}/identifiers`, { kind: 'phone', value: '+14155550123' });
  // Attribute keys and company ids are the business's own names: unique per account here, so B's never equal A's.
  const key = `plan_${tag}`;
  await call('identity', 'PUT', `${contactPath}/attributes`, { attributes: [{ key, type: 'string', value: 'gold' }] });
  const companyId = `acme-${tag}`;
  await call('identity', 'PUT', `${contactPath}/company`, { companyId, name: 'Acme' });
  await call('identity', 'POST', `${contactPath}/events`, { name: 'viewed_pricing' });

  // Two contacts to merge, and two the duplicate scorer pairs (a nickname and a tagged email).
  const survivor = await call('identity', 'POST', '/v1/contacts', { firstName: 'Mara', lastName: 'Quill', emails: [`mara.${tag}@example.net`] });
  const merged = await call('identity', 'POST', '/v1/contacts', { firstName: 'Mara', lastName: 'Q', emails: [`mq.${tag}@example.net`] });
  const merge = await call('identity', 'POST', `/v1/contacts/${idOf(survivor)}/merge`, { otherContactId: idOf(merged) });
  await call('identity', 'POST', '/v1/contacts', { firstName: 'Robert', lastName: 'Miller', emails: [`rob.miller.${tag}@gmail.com`], postalCode: '2000' });
  await call('identity', 'POST', '/v1/contacts', { firstName: 'Bob', lastName: 'Miller', emails: [`robmiller.${tag}+leads@gmail.com`], postalCode: '2000' });
  await call('identity', 'POST', '/v1/duplicate-suggestions/scan');
  const suggestions = await stack.call('identity', 'GET', '/v1/duplicate-suggestions', admin);
  const suggestion = (suggestions.json as Json[] | undefined)?.[0];
  if (!suggestion) throw new Error(`seeding ${account.name}: the duplicate scan suggested nothing: ${suggestions.text}`);

  const followUp = await call('leads', 'POST', `/v1/leads/${data.leadId}/follow-ups`, { dueAt: new Date(Date.now() + 86_400_000).toISOString() });
  // A webhook for a kind nothing in these tests causes, so no delivery is attempted while they run.
  const webhook = await call('notifications', 'POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/leadline-hook', kinds: ['automation'] });
  const automation = await call('notifications', 'POST', '/v1/automations', {
    name: 'Tell the agent', trigger: 'contact_summary_created', action: { type: 'notify', memberIds: [account.agent] }, enabled: false,
  });
  // The records above make events of their own (leads, notifications): let them settle.
  await eventually(async () => ((await stack.call('leads', 'GET', `/v1/leads/${data.leadId}`, admin)).status === 200 ? true : undefined));
  return {
    identifierid: idOf(identifier), key, companyid: companyId, mergeid: merge['mergeId'] as string,
    suggestionid: idOf(suggestion), followupid: idOf(followUp), webhooks: idOf(webhook), endpointid: idOf(webhook), automations: idOf(automation),
  };
}

function idOf(record: Json): string {
  const id = record['id'] ?? record['contactId'];
  if (typeof id !== 'string') throw new Error(`no id in ${JSON.stringify(record).slice(0, 200)}`);
  return id;
}
