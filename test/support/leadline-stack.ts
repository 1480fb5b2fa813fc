import { eventually, operatorHeaders, startService, TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { accountsService } from '../../services/accounts/src/accounts.service-definition';
import { extractionService } from '../../services/extraction/src/extraction.service-definition';
import { identityService } from '../../services/identity/src/identity.service-definition';
import { ingestionService } from '../../services/ingestion/src/ingestion.service-definition';
import { leadsService } from '../../services/leads/src/leads.service-definition';
import { notificationsService } from '../../services/notifications/src/notifications.service-definition';

export type Json = { [key: string]: unknown };

export interface Reply {
  status: number;
  text: string;
  json: unknown;
}

/** All six services in this process, on one TestRun. */
export class LeadlineStack {
  readonly apps: Record<string, NestFastifyApplication> = {};
  readonly urls: Record<string, string> = {};

  private constructor(readonly run: TestRun) {}

  /** `envFor` adds a service's own variables (its NATS user, say) to the run's environment. */
  static async start(envFor: (service: string) => Record<string, string> = () => ({})): Promise<LeadlineStack> {
    const stack = new LeadlineStack(await TestRun.start());
    const definitions = [accountsService, ingestionService, extractionService, identityService, leadsService, notificationsService];
    for (const definition of definitions) {
      const started = await startService(stack.run, definition as never, { IDLE_SCAN_INTERVAL_MS: '100', ...envFor(definition.name) });
      stack.apps[definition.name] = started.app;
      stack.urls[definition.name] = started.url;
    }
    return stack;
  }

  async stop(): Promise<void> {
    for (const app of Object.values(this.apps).reverse()) await app.close();
    await this.run.cleanup();
  }

  async call(service: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Reply> {
    const response = await fetch(`${this.urls[service]}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  /** An account made by the operator with a web chat widget, an admin and an agent, known to every service. */
  async createAccount(name: string): Promise<TestAccount> {
    const widgetKey = `widget-${name.toLowerCase()}-${this.run.prefix}`;
    const domain = `${name.toLowerCase()}.example`;
    const created = await this.call('accounts', 'POST', '/v1/accounts', operatorHeaders(), {
      name, domain, idleWindowSeconds: 1,
      channels: [{ kind: 'webchat', address: widgetKey }],
      members: [
        { email: `admin@${domain}`, name: `${name} Admin`, role: 'admin', notificationPreference: 'all' },
        { email: `agent@${domain}`, name: `${name} Agent`, role: 'agent', notificationPreference: 'all' },
      ],
    });
    if (created.status !== 201) throw new Error(`account ${name} not created: ${created.text}`);
    const body = created.json as Json;
    const members = body['members'] as Json[];
    const account: TestAccount = {
      id: body['id'] as string, name, widgetKey, apiKey: (body['apiKey'] as Json)['key'] as string,
      apiKeyId: (body['apiKey'] as Json)['id'] as string,
      admin: members.find((m) => m['role'] === 'admin')!['id'] as string,
      agent: members.find((m) => m['role'] === 'agent')!['id'] as string,
    };
    // Every service learns of the key and the widget from events: wait until they have.
    for (const service of Object.keys(this.urls)) {
      await eventually(async () => {
        const r = await this.call(service, 'GET', '/health/ready');
        return r.status === 200 ? true : undefined;
      }, 15_000, `${service} to be ready`);
    }
    await eventually(async () => ((await this.call('accounts', 'GET', `/v1/accounts/${account.id}`, { authorization: `Bearer ${account.apiKey}` })).status === 200 ? true : undefined), 15_000, 'the API key to be known');
    return account;
  }

  /** A visitor writes on the account's widget until a contact, a lead and a notification exist. */
  async converse(account: TestAccount, email: string): Promise<Conversation> {
    const deviceId = randomUUID();
    const text = `Hi, I'm Jane Roe. My email is ${email}. I'd like a quote.`;
    const posted = await eventually(async () => {
      const r = await this.call('ingestion', 'POST', '/v1/webchat/messages', {}, { widgetKey: account.widgetKey, deviceId, clientMessageId: 'c1', text });
      return r.status === 202 ? (r.json as Json) : undefined;
    }, 15_000, 'ingestion to know the widget');
    const conversationId = posted['conversationId'] as string;
    // Read from the services' tables rather than the streams: the stack may run on a NATS of its own.
    const row = async <T>(sql: string, what: string): Promise<T> => (await eventually(async () => {
      const rows = await this.run.query<T>(sql, [account.id]);
      return rows.length > 0 ? rows : undefined;
    }, 30_000, what))[0]!;
    const lead = await row<{ id: string; contact_id: string }>(
      `SELECT id, contact_id FROM ${this.run.schema('leads')}.leads WHERE account_id = $1`, 'a lead');
    const notification = await row<{ id: string }>(
      `SELECT id FROM ${this.run.schema('notifications')}.notifications WHERE account_id = $1`, 'a notification');
    await row(`SELECT 1 FROM ${this.run.schema('ingestion')}.conversations WHERE account_id = $1 AND contact_id IS NOT NULL`, 'the conversation to be linked');
    return { deviceId, email, conversationId, contactId: lead.contact_id, leadId: lead.id, notificationId: notification.id };
  }

  /** A fingerprint of every row of the run's service tables (not the outbox and inbox, which age on their own). */
  async fingerprint(where?: { accountId: string }): Promise<Record<string, string>> {
    const tables = await this.run.query<{ schema: string; table: string; scoped: boolean }>(`
      SELECT t.table_schema AS schema, t.table_name AS table,
             EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
                     AND c.table_name = t.table_name AND c.column_name = 'account_id') AS scoped
        FROM information_schema.tables t
       WHERE t.table_schema LIKE $1 AND t.table_type = 'BASE TABLE'
         AND t.table_name NOT IN ('outbox_events', 'inbox_events', 'migrations', 'typeorm_migrations')`, [`%\\_${this.run.prefix}`]);
    const result: Record<string, string> = {};
    for (const { schema, table, scoped } of tables) {
      const filter = where ? (scoped ? `WHERE account_id = '${where.accountId}'` : table === 'accounts' ? `WHERE id = '${where.accountId}'` : undefined) : '';
      if (filter === undefined) continue;
      const [row] = await this.run.query<{ n: number; digest: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${schema}"."${table}" t ${filter}`);
      result[`${schema}.${table}`] = `${row!.n}:${row!.digest ?? ''}`;
    }
    return result;
  }
}

export interface TestAccount {
  id: string;
  name: string;
  widgetKey: string;
  apiKey: string;
  apiKeyId: string;
  admin: string;
  agent: string;
}

export interface Conversation {
  deviceId: string;
  email: string;
  conversationId: string;
  contactId: string;
  leadId: string;
  notificationId: string;
}
