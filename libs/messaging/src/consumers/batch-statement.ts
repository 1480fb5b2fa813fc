import { queryPrepared } from '@leadline/persistence';
import type { EntityManager } from 'typeorm';
import type { BatchStatement } from './on-event.decorator';

/**
 * Runs a batch statement on its own and hands it its rows: where there is no batch to send it with (an event handled
 * alone, or a caller outside a consumer taking the same locks). A consumer's batch sends it with its inbox claim.
 */
export async function runBatchStatement(tx: EntityManager, batch: BatchStatement | undefined): Promise<void> {
  if (!batch) return;
  const rows = await queryPrepared(tx, batch.statement.text, batch.statement.values);
  batch.answered?.(rows);
}
