import { queryPrepared } from '@leadline/persistence';
import {
  Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import type { NotificationsConfig } from '../notifications.config';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import { DeliveryOutcomes } from './delivery-outcomes';
import type { ClaimedDelivery } from './delivery-row';
import { DeliverySending } from './delivery-sending';
import { traceDelivery } from './delivery-trace';

/** Time a claim is held beyond the send timeouts; a worker that died is replaced after it. */
const LEASE_MARGIN_MS = 30_000;

/** Where a delivery goes: the SMTP server for every email, else its webhook endpoint. */
const destination = (row = '') => `CASE WHEN ${row}channel = 'webhook' THEN ${row}endpoint_id::text ELSE ${row}channel END`;

/** Due now, or claimed by a worker whose lease ran out. */
const DUE = `((status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now()))`;

/**
 * Sends queued deliveries. Each replica claims due rows with `FOR UPDATE SKIP LOCKED` and marks them as its own
 * for a lease, so no two replicas send one row; every delivery then runs on its own. A destination (the SMTP
 * server, one webhook endpoint) gets at most DELIVERY_CONCURRENCY_PER_DESTINATION of the worker's slots, however
 * many of its deliveries are due, so a slow or failing one never holds up the others.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries in flight per destination. */
  private readonly busy = new Map<string, number>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Written to each attempt's log: which replica sent it. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sending: DeliverySending,
    private readonly outcomes: DeliveryOutcomes,
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Claims up to `limit` due deliveries (and any whose worker's lease ran out), oldest first, taking from each
   * destination no more than its free share of slots. Ranking every due row is what keeps one destination's
   * backlog from filling the claim; due rows are few unless a destination is failing.
   */
  async claim(limit: number): Promise<ClaimedDelivery[]> {
    const lease = Math.max(this.config.WEBHOOK_TIMEOUT_MS, this.config.SMTP_TIMEOUT_MS * 3) + LEASE_MARGIN_MS;
    const busy = [...this.busy.entries()];
    return queryPrepared<ClaimedDelivery>(this.dataSource.manager,
      `UPDATE deliveries d SET status = 'sending', claim_token = $1, attempts = d.attempts + 1,
         lease_until = now() + make_interval(secs => $2::double precision / 1000)
       FROM (SELECT id FROM deliveries
             WHERE ${DUE} AND id IN (
               SELECT r.id FROM (SELECT id, ${destination()} AS destination,
                                        row_number() OVER (PARTITION BY ${destination()} ORDER BY next_attempt_at, id) AS place
                                 FROM deliveries WHERE ${DUE}) r
               LEFT JOIN unnest($4::text[], $5::int[]) AS b(destination, n) ON b.destination = r.destination
               WHERE r.place + COALESCE(b.n, 0) <= $6)
             ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
       RETURNING d.id, d.account_id, d.channel, d.recipient, d.notification_id, d.endpoint_id, d.payload, d.attempts,
         d.claim_token, d.trace_headers, ${destination('d.')} AS destination`,
      [randomUUID(), lease, limit, busy.map(([destination]) => destination), busy.map(([, n]) => n),
        this.config.DELIVERY_CONCURRENCY_PER_DESTINATION],
    );
  }

  private async run(): Promise<void> {
    while (this.running) {
      const free = this.config.DELIVERY_CONCURRENCY - this.inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const rows = await this.claim(free);
          for (const row of rows) this.start(row);
          claimed = rows.length;
        } catch (error) {
          this.logger.error(`could not claim deliveries: ${(error as Error).message}`);
        }
      }
      if (claimed === 0 || claimed < free) await this.pause();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private start(delivery: ClaimedDelivery): void {
    this.busy.set(delivery.destination, (this.busy.get(delivery.destination) ?? 0) + 1);
    const task = this.deliver(delivery).finally(() => {
      this.inFlight.delete(task);
      const left = (this.busy.get(delivery.destination) ?? 1) - 1;
      if (left > 0) this.busy.set(delivery.destination, left);
      else this.busy.delete(delivery.destination);
      this.wake?.();
    });
    this.inFlight.add(task);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const outcome = await traceDelivery(delivery, async () => {
      const started = Date.now();
      const attempted = await this.sending.attempt(delivery);
      try {
        await this.outcomes.record(delivery, attempted, Date.now() - started, this.workerId);
      } catch (error) {
        // Left 'sending': it is claimed again when its lease runs out.
        this.logger.error(`could not record delivery ${delivery.id}: ${(error as Error).message}`);
      }
      return attempted;
    });
    if (!outcome.ok) this.logger.warn(`delivery ${delivery.id} (${delivery.channel}) attempt ${delivery.attempts} failed: ${outcome.error}`);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.config.DELIVERY_POLL_MS);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
