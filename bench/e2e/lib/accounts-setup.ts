import { accountCreationHeaders } from './credentials';
import type { Pool } from 'pg';
import { waitFor } from './stats';
import type { BenchAccount } from './workload';

interface CreatedAccount {
  id: string;
  members: { id: string; email: string; role: string }[];
}

/**
 * Creates the accounts through the accounts API: a web chat widget, two members on "All events" (the
 * recipients every notification goes to) and one who turned notifications off.
 */
export async function createAccounts(accountsUrl: string, count: number, tag: string, idleWindowSeconds: number): Promise<BenchAccount[]> {
  const accounts: BenchAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    const widgetKey = `widget-${tag}-${i}`;
    const domain = `garden${i}.${tag}.example`;
    const response = await fetch(`${accountsUrl}/v1/accounts`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...accountCreationHeaders() },
      body: JSON.stringify({
        name: `Bench Gardens ${i}`, domain, idleWindowSeconds,
        channels: [{ kind: 'webchat', address: widgetKey }],
        members: [
          { email: `ann@${domain}`, name: 'Ann', role: 'admin', notificationPreference: 'all' },
          { email: `raj@${domain}`, name: 'Raj', role: 'agent', notificationPreference: 'all' },
          { email: `bob@${domain}`, name: 'Bob', role: 'agent', notificationPreference: 'off' },
        ],
      }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`account ${i} not created: HTTP ${response.status} ${text}`);
    const created = JSON.parse(text) as CreatedAccount;
    const byEmail = (local: string) => created.members.find((m) => m.email === `${local}@${domain}`)!.id;
    accounts.push({ id: created.id, widgetKey, adminId: byEmail('ann'), recipients: [byEmail('ann'), byEmail('raj')] });
  }
  return accounts;
}

/** Until every service has heard of the accounts (widget routes, team members, matching settings). */
export async function awaitAccountsKnown(db: Pool, accounts: BenchAccount[], timeoutMs = 60_000): Promise<void> {
  const ids = accounts.map((a) => a.id);
  await waitFor('ingestion to know the widgets', async () => {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM ingestion.channel_routes WHERE account_id = ANY($1::uuid[])', [ids]);
    return rows[0].n >= accounts.length ? true : undefined;
  }, timeoutMs);
  await waitFor('notifications to know the team members', async () => {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM notifications.team_members WHERE account_id = ANY($1::uuid[])', [ids]);
    return rows[0].n >= accounts.length * 3 ? true : undefined;
  }, timeoutMs);
  await waitFor('identity to know the accounts', async () => {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM identity.account_settings WHERE account_id = ANY($1::uuid[])', [ids]);
    return rows[0].n >= accounts.length ? true : undefined;
  }, timeoutMs);
}
