import { runTransaction, type PreparedStatement } from '@leadline/persistence';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Outbox, type OutboxEntry } from './outbox/outbox';
import { OutboxRelay } from './outbox/outbox-relay';

/**
 * Runs a state change and the events it queues in one transaction (written together when the work is done, with the
 * COMMIT), then publishes them at once (OutboxRelay.publishCommitted; should that fail, the relay does).
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource, private readonly outbox: Outbox, private readonly relay: OutboxRelay) {}

  async run<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const { result, caused } = await this.commit(work);
    // Not awaited: the caller (an HTTP request, the idle scan) is done once the work is committed, and must not wait
    // on NATS, least of all while it is unreachable; publishCommitted leaves a failure to the relay.
    void this.relay.publishCommitted(caused);
    return result;
  }

  /**
   * The work in one transaction, its events held and written together at the end and reserved for this process to
   * publish; answers the work's result and those events, committed, for the caller to hand to publishCommitted.
   */
  async commit<T>(work: (tx: EntityManager) => Promise<T>): Promise<{ result: T; caused: OutboxEntry[] }> {
    let caused: OutboxEntry[] = [];
    let insertCaused: PreparedStatement | undefined;
    const result = await runTransaction(this.dataSource, async (tx) => {
      this.outbox.holdUntilTaken(tx);
      const done = await work(tx);
      ({ entries: caused, statement: insertCaused } = this.outbox.takeHeld(tx));
      this.relay.reserve(caused);
      return done;
    }, { finalStatement: () => insertCaused }).catch((error: unknown) => {
      this.relay.release(caused);
      throw error;
    });
    return { result, caused };
  }
}
