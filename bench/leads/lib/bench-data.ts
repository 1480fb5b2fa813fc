import { Client } from 'pg';

export const BENCH_SCHEMA = 'leads_bench';
export const AGENTS_PER_ACCOUNT = 20;

/** The accounts of the bench data: fixed ids so a second run finds the data the first one loaded. */
export function benchAccountId(index: number): string {
  return `00000000-0000-7000-8000-${String(index).padStart(12, '0')}`;
}

export function benchAgentId(account: number, agent: number): string {
  return `00000000-0000-7000-9${String(account).padStart(3, '0')}-${String(agent).padStart(12, '0')}`;
}

const FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Chris', 'Nancy', 'Daniel', 'Lisa', 'Matthew'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White',
  'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres',
  'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts'];

export const SURNAMES = LAST;

/** What a finished load wrote last: a run that was stopped half-way is never mistaken for loaded data. */
function marker(leads: number, accounts: number): string {
  // The data version goes up whenever the generated rows change, so an older load is not reused.
  return `v2: ${leads} leads in ${accounts} accounts`;
}

/** True when the bench schema holds a finished load of this size. */
export async function isLoaded(databaseUrl: string, leads: number, accounts: number): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ loaded: string }>(`SELECT loaded FROM ${BENCH_SCHEMA}.bench_loaded`).catch(() => ({ rows: [] }));
    return rows.rows[0]?.loaded === marker(leads, accounts);
  } finally {
    await client.end();
  }
}

/** Drops the bench schema, so the service's migrations make it afresh (with every index) before a load. */
export async function dropBenchSchema(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${BENCH_SCHEMA} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Fills the freshly migrated bench schema with `leads` leads spread evenly over `accounts` accounts. Indexes are
 * dropped during the load and rebuilt after it (as a bulk load should), from the definitions the migrations made.
 */
export async function loadLeads(databaseUrl: string, leads: number, accounts: number, log: (line: string) => void): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    log(`loading ${leads} leads in ${accounts} accounts into ${BENCH_SCHEMA} ...`);
    const started = Date.now();
    const indexes = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'leads' AND indexname <> 'leads_pkey'`, [BENCH_SCHEMA]);
    for (const index of indexes.rows) await client.query(`DROP INDEX ${BENCH_SCHEMA}.${index.indexname}`);
    await client.query(`INSERT INTO ${BENCH_SCHEMA}.team_members (member_id, account_id, email, name, role, active, version)
      SELECT ('00000000-0000-7000-9' || lpad(a::text, 3, '0') || '-' || lpad(m::text, 12, '0'))::uuid,
             ('00000000-0000-7000-8000-' || lpad(a::text, 12, '0'))::uuid, 'agent' || m || '@bench.example', 'Agent ' || m, 'agent', true, 1
      FROM generate_series(0, $1 - 1) a, generate_series(0, $2 - 1) m`, [accounts, AGENTS_PER_ACCOUNT]);
    const chunk = 200_000;
    for (let from = 0; from < leads; from += chunk) {
      await client.query(insertChunk(), [from, Math.min(leads, from + chunk) - 1, accounts, AGENTS_PER_ACCOUNT, FIRST, LAST]);
      log(`  ${Math.min(leads, from + chunk)} leads`);
    }
    log(`  rebuilding ${indexes.rowCount} indexes ...`);
    await client.query('SET maintenance_work_mem = \'256MB\'');
    for (const index of indexes.rows) await client.query(index.indexdef);
    await client.query(`VACUUM ANALYZE ${BENCH_SCHEMA}.leads`);
    await client.query(`ANALYZE ${BENCH_SCHEMA}.team_members`);
    await client.query(`CREATE TABLE ${BENCH_SCHEMA}.bench_loaded AS SELECT $1::text AS loaded`, [marker(leads, accounts)]);
    log(`loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

/** One INSERT … SELECT over generate_series: the database makes the rows, nothing crosses the wire. */
function insertChunk(): string {
  return `
    INSERT INTO ${BENCH_SCHEMA}.leads (id, account_id, contact_id, status, active, reason, score, score_source, agent_id, channel,
      conversation_id, conversation_url, summary, display_name, contact, search_text, closed_reason, created_at, updated_at)
    SELECT md5('lead' || g)::uuid, ('00000000-0000-7000-8000-' || lpad((g % $3)::text, 12, '0'))::uuid, md5('contact' || g)::uuid,
      s.status, s.status NOT IN ('converted', 'lost', 'archived'), (ARRAY['new_contact', 'new_contact', 'returning_contact', 'import', 'api'])[1 + g % 5],
      CASE WHEN g % 17 = 0 THEN NULL ELSE ((g::bigint * 7919) % 101)::int END, CASE WHEN g % 17 = 0 THEN NULL WHEN g % 9 = 0 THEN 'manual' ELSE 'ai' END,
      CASE WHEN g % 10 < 3 THEN NULL ELSE ('00000000-0000-7000-9' || lpad((g % $3)::text, 3, '0') || '-' || lpad(((g / $3) % $4)::text, 12, '0'))::uuid END,
      (ARRAY['webchat', 'webchat', 'sms', 'voice', 'email'])[1 + (g / 7) % 5], md5('conversation' || g)::uuid,
      'http://localhost:3000/conversations/' || md5('conversation' || g)::uuid, 'Asked for a quote for job ' || g || '.',
      n.first || ' ' || n.last,
      jsonb_build_object('contactId', md5('contact' || g)::uuid, 'role', 'lead', 'displayName', n.first || ' ' || n.last,
        'firstName', n.first, 'lastName', n.last, 'emails', jsonb_build_array(n.email), 'phones', jsonb_build_array(n.phone)),
      lower(n.first || ' ' || n.last || ' ' || n.email || ' ' || n.phone), NULL, t.created, t.created + ((g % 240) || ' hours')::interval
    FROM generate_series($1::int, $2::int) g
    CROSS JOIN LATERAL (SELECT (ARRAY['new', 'new', 'new', 'contacted', 'contacted', 'qualifying', 'qualified', 'follow_up', 'converted', 'lost', 'archived'])[1 + ((g::bigint * 31) % 11)::int] AS status) s
    CROSS JOIN LATERAL (SELECT $5::text[] AS f, $6::text[] AS l) names
    CROSS JOIN LATERAL (SELECT 1 + abs(hashint4(g)) % array_length(names.f, 1) AS fi, 1 + abs(hashint4(g + 1000003)) % array_length(names.l, 1) AS li) pick
    CROSS JOIN LATERAL (SELECT names.f[pick.fi] AS first, names.l[pick.li] AS last,
      lower(names.f[pick.fi]) || '.' || g || '@example.com' AS email, '+1555' || lpad(g::text, 7, '0') AS phone) n
    CROSS JOIN LATERAL (SELECT timestamptz '2026-11-01 00:00:00+00' - ((g::bigint * 104729) % 31536000 || ' seconds')::interval AS created) t`;
}
