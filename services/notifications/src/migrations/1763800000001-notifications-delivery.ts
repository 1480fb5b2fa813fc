import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Preferences edited here, followers, automations, webhook endpoints and the delivery queue. */
export class NotificationsDelivery1763800000001 implements MigrationInterface {
  name = 'NotificationsDelivery1763800000001';

  async up(runner: QueryRunner): Promise<void> {
    // Set when the member (or an admin) chose the preference here: later member events no longer overwrite it.
    await runner.query(`ALTER TABLE team_members ADD COLUMN preference_set_at timestamptz`);
    await runner.query(`
      CREATE TABLE local_accounts (
        account_id uuid PRIMARY KEY,
        name text NOT NULL,
        domain text NOT NULL,
        active boolean NOT NULL,
        version int NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE tracked_conversations (
        conversation_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        channel text,
        contact_id uuid,
        display_name text,
        conversation_url text
      )`);
    await runner.query(`CREATE INDEX tracked_conversations_contact ON tracked_conversations (account_id, contact_id)`);
    await runner.query(`
      CREATE TABLE tracked_leads (
        lead_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        conversation_id uuid,
        channel text,
        score int,
        display_name text
      )`);
    await runner.query(`CREATE INDEX tracked_leads_contact ON tracked_leads (account_id, contact_id)`);
    await runner.query(`
      CREATE TABLE conversation_followers (
        conversation_id uuid NOT NULL,
        member_id uuid NOT NULL,
        account_id uuid NOT NULL,
        following boolean NOT NULL,
        reason text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (conversation_id, member_id)
      )`);
    await runner.query(`CREATE INDEX conversation_followers_member ON conversation_followers (account_id, member_id)`);
    await runner.query(`
      CREATE TABLE automation_rules (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        name text NOT NULL,
        trigger text NOT NULL,
        conditions jsonb NOT NULL,
        action jsonb NOT NULL,
        enabled boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX automation_rules_trigger ON automation_rules (account_id, trigger) WHERE enabled`);
    await runner.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        url text NOT NULL,
        secret text NOT NULL,
        kinds text[] NOT NULL,
        active boolean NOT NULL,
        consecutive_failures int NOT NULL DEFAULT 0,
        disabled_at timestamptz,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id)`);
    await runner.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        channel text NOT NULL,
        recipient text NOT NULL,
        source_event_id text NOT NULL,
        topic text NOT NULL,
        notification_id uuid,
        endpoint_id uuid,
        contact_id uuid,
        payload jsonb NOT NULL,
        status text NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claim_token uuid,
        lease_until timestamptz,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (channel, recipient, source_event_id, topic)
      )`);
    await runner.query(`CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await runner.query(`CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, created_at DESC) WHERE endpoint_id IS NOT NULL`);
    await runner.query(`CREATE INDEX deliveries_contact ON deliveries (account_id, contact_id)`);
    await runner.query(`
      CREATE TABLE delivery_attempts (
        delivery_id uuid NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        attempt int NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        ok boolean NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL,
        worker text NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['delivery_attempts', 'deliveries', 'webhook_endpoints', 'automation_rules', 'conversation_followers',
      'tracked_leads', 'tracked_conversations', 'local_accounts']) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query('ALTER TABLE team_members DROP COLUMN preference_set_at');
  }
}
