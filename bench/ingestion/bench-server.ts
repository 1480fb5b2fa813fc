/**
 * One HTTP server under load, in its own process so it never shares an event loop with autocannon:
 * `ingestion` (the real service: Nest, validation, routing, one transaction with the outbox, the relay and the idle
 * scheduler running) or `ceiling` (bare Fastify and one pg INSERT per request, the most a message can cost less).
 * Started by ingestion.bench.ts with the environment it prepared; reports its URL over IPC.
 */
import 'reflect-metadata';
import { createServiceApp, loadConfig } from '@leadline/platform';
import Fastify from 'fastify';
import { Pool } from 'pg';
import { IngestionConfig } from '../../services/ingestion/src/ingestion.config';
import { ingestionService } from '../../services/ingestion/src/ingestion.service-definition';

export const CEILING_TABLE = 'bench_ceiling_messages';

async function serveIngestion(): Promise<string> {
  const config = loadConfig(IngestionConfig);
  const app = await createServiceApp(ingestionService.module(config), { serviceName: 'ingestion', logLevel: config.LOG_LEVEL });
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

async function serveCeiling(): Promise<string> {
  const schema = process.env['DB_SCHEMA']!;
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: Number(process.env['DB_POOL_SIZE'] ?? 10) });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`CREATE TABLE IF NOT EXISTS "${schema}".${CEILING_TABLE} (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), device_id uuid NOT NULL, client_message_id text NOT NULL,
    text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  const fastify = Fastify({ bodyLimit: 1024 * 1024 });
  fastify.post('/v1/webchat/messages', async (request, reply) => {
    const body = request.body as { deviceId: string; clientMessageId: string; text: string };
    const { rows } = await pool.query(
      `INSERT INTO "${schema}".${CEILING_TABLE} (device_id, client_message_id, text) VALUES ($1, $2, $3) RETURNING id`,
      [body.deviceId, body.clientMessageId, body.text]);
    return reply.code(202).send({ messageId: (rows[0] as { id: string }).id });
  });
  // Exits on SIGTERM rather than being killed by it, so --cpu-prof (BENCH_SERVER_NODE_OPTIONS) writes its profile.
  process.once('SIGTERM', () => void fastify.close().then(() => pool.end()).then(() => process.exit(0)));
  return fastify.listen({ port: 0, host: '127.0.0.1' });
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  const url = kind === 'ingestion' ? await serveIngestion() : kind === 'ceiling' ? await serveCeiling() : undefined;
  if (!url) throw new Error(`usage: bench-server.js ingestion|ceiling (got ${kind ?? 'nothing'})`);
  process.send?.({ url });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench server failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
