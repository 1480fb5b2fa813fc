import { Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './webhook-endpoint.dto';

interface EndpointRow {
  id: string;
  url: string;
  secret: string;
  kinds: string[];
  active: boolean;
  consecutive_failures: number;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
}

export interface EndpointView {
  id: string;
  url: string;
  kinds: string[];
  active: boolean;
  consecutiveFailures: number;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

function view(row: EndpointRow): EndpointView {
  return {
    id: row.id, url: row.url, kinds: row.kinds, active: row.active, consecutiveFailures: row.consecutive_failures,
    disabledAt: row.disabled_at, disabledReason: row.disabled_reason, createdAt: row.created_at,
  };
}

const COLUMNS = 'id, url, secret, kinds, active, consecutive_failures, disabled_at, disabled_reason, created_at';

/** Webhook endpoints of internal systems, registered per account. The secret is shown once, at creation. */
@Injectable()
export class WebhookEndpointsService {
  constructor(private readonly dataSource: DataSource) {}

  async create(accountId: string, dto: CreateWebhookEndpointDto): Promise<EndpointView & { secret: string }> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const [row] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (id, account_id, url, secret, kinds, active) VALUES ($1, $2, $3, $4, $5, true)
       RETURNING ${COLUMNS}`, [uuidv7(), accountId, dto.url, secret, dto.kinds ?? []],
    ) as EndpointRow[];
    return { ...view(row!), secret };
  }

  async list(accountId: string): Promise<EndpointView[]> {
    const rows = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE account_id = $1 ORDER BY created_at`,
      [accountId]) as EndpointRow[];
    return rows.map(view);
  }

  async get(accountId: string, id: string): Promise<EndpointView> {
    return view(await this.row(accountId, id));
  }

  async update(accountId: string, id: string, dto: UpdateWebhookEndpointDto): Promise<EndpointView> {
    const current = await this.row(accountId, id);
    const reactivated = dto.active === true && !current.active;
    // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_endpoints SET url = $3, kinds = $4::text[], active = $5::boolean,
         consecutive_failures = CASE WHEN $6::boolean THEN 0 ELSE consecutive_failures END,
         disabled_at = CASE WHEN $5::boolean THEN NULL WHEN active AND NOT $5::boolean THEN now() ELSE disabled_at END,
         disabled_reason = CASE WHEN $5::boolean THEN NULL WHEN active AND NOT $5::boolean THEN 'switched off through the API' ELSE disabled_reason END
       WHERE account_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [accountId, id, dto.url ?? current.url, dto.kinds ?? current.kinds, dto.active ?? current.active, reactivated],
    ) as [EndpointRow[], number];
    return view(rows[0]!);
  }

  async remove(accountId: string, id: string): Promise<void> {
    await this.row(accountId, id);
    await this.dataSource.transaction(async (tx) => {
      // Its queued deliveries are cancelled with it; the log of past ones goes too (it is the endpoint's log).
      await tx.query(`DELETE FROM deliveries WHERE account_id = $1 AND endpoint_id = $2`, [accountId, id]);
      await tx.query(`DELETE FROM webhook_endpoints WHERE account_id = $1 AND id = $2`, [accountId, id]);
    });
  }

  /** The endpoint's delivery log: newest first, each with its attempts. */
  async deliveries(accountId: string, id: string, limit: number): Promise<unknown[]> {
    await this.row(accountId, id);
    return this.dataSource.query(
      `SELECT d.id, d.source_event_id AS "sourceEventId", d.topic, d.status, d.attempts, d.last_error AS "lastError",
              d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt", d.created_at AS "createdAt",
              d.payload->>'type' AS type,
              COALESCE((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'ok', a.ok, 'statusCode', a.status_code,
                'error', a.error, 'durationMs', a.duration_ms, 'worker', a.worker) ORDER BY a.attempt)
                FROM delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS "attemptLog"
       FROM deliveries d WHERE d.account_id = $1 AND d.endpoint_id = $2 ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
      [accountId, id, limit],
    );
  }

  private async row(accountId: string, id: string): Promise<EndpointRow> {
    const [row] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_endpoints WHERE account_id = $1 AND id = $2`,
      [accountId, id]) as EndpointRow[];
    if (!row) throw new NotFoundException(`webhook endpoint ${id} not found in this account`);
    return row;
  }
}
