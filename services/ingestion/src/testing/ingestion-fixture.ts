import { AccountUpdatedEvent, type AccountUpdated, type ChannelSettingDto } from '@leadline/contracts';
import { eventually, publishEvent, startService, type TestRun } from '@leadline/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { ingestionService } from '../ingestion.service-definition';

/** Test helpers for the ingestion service: an account as the accounts service would announce it. */
export function anAccount(run: TestRun, overrides: Partial<AccountUpdated> & { channels: ChannelSettingDto[] }): AccountUpdated {
  return {
    accountId: randomUUID(), name: 'Green Gardens', domain: 'greengardens.example', active: true, timeZone: 'UTC',
    defaultPhoneRegion: 'US', idleWindowSeconds: 1, matchingPolicy: 'standard', fillFields: ['postalCode'],
    sharedIdentifierLimit: 5, identitySecret: `identity-secret-${run.prefix}`, version: 1, ...overrides,
  };
}

export function aChannel(kind: ChannelSettingDto['kind'], address: string, authToken?: string): ChannelSettingDto {
  return { kind, address, captureLeads: true, captureFields: ['firstName', 'lastName', 'email', 'phone'], ...(authToken ? { authToken } : {}) };
}

/** Publishes the account and waits until ingestion routes all of its channels. */
export async function announceAccount(run: TestRun, account: AccountUpdated): Promise<void> {
  await publishEvent(run.js, run.naming(), AccountUpdatedEvent, account, { source: 'accounts' });
  await eventually(async () => {
    const [row] = await run.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${run.schema('ingestion')}.account_snapshots WHERE account_id = $1 AND version = $2`,
      [account.accountId, account.version]);
    return row && row.n === 1 ? true : undefined;
  }, 20_000, 'ingestion to learn the account');
}

export async function startIngestion(run: TestRun, env: Record<string, string> = {}): Promise<{ app: NestFastifyApplication; url: string }> {
  const { app, url } = await startService(run, ingestionService, { IDLE_SCAN_INTERVAL_MS: '100', ...env });
  return { app, url };
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export async function send<T = Record<string, unknown>>(
  url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; json?: unknown } = {},
): Promise<Reply<T>> {
  const headers = { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const response = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.json !== undefined ? 'POST' : 'GET'), headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  let body: unknown = {};
  try { body = JSON.parse(text); } catch { body = {}; }
  return { status: response.status, body: body as T, text, headers: response.headers };
}

/** Rows of the ingestion schema of this run. */
export function ingestionRows<T = Record<string, unknown>>(run: TestRun, sql: string, params: unknown[] = []): Promise<T[]> {
  return run.query<T>(sql.replaceAll('ingestion.', `${run.schema('ingestion')}.`), params);
}
