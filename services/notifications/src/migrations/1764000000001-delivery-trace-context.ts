import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context of the event that queued each delivery: the worker sends it later, in another transaction
 * (and maybe another replica), and continues that trace, so one trace runs from the visitor's message to the email
 * or webhook. Rows queued before this column have none: their deliveries start a trace of their own.
 */
export class DeliveryTraceContext1764000000001 implements MigrationInterface {
  name = 'DeliveryTraceContext1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries ADD COLUMN trace_headers jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE deliveries DROP COLUMN trace_headers`);
  }
}
