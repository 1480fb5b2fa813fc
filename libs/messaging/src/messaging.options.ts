import type { StreamName } from '@leadline/contracts';

export interface MessagingOptions {
  /** The publishing service (`ce-source`) and the first part of every durable consumer's name. */
  serviceName: string;
  natsUrl: string;
  /** This service's NATS user and password (deploy/nats/ gives each service its own, with subject permissions). */
  natsUser?: string;
  natsPassword?: string;
  /** Isolates a deployment or a test run: subjects become `<prefix>.<subject>`, streams `<prefix>_<STREAM>`. */
  subjectPrefix?: string;
  /** Streams this service publishes to; the ones it consumes are provisioned from its handlers. */
  publishes: StreamName[];
  consumer?: Partial<ConsumerSettings>;
  outbox?: Partial<OutboxSettings>;
  streamReplicas?: number;
}

export interface ConsumerSettings {
  /** Attempts before a failing event goes to the DLQ. */
  maxDeliver: number;
  ackWaitMs: number;
  /** Events handled in one transaction when they are waiting. */
  batchSize: number;
  /** Batches of one consumer handled at the same time, each in its own transaction (events about one thing stay in order). */
  concurrency: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

export interface OutboxSettings {
  /** How often the relay looks for events another process committed (a commit here wakes it at once). */
  pollIntervalMs: number;
  batchSize: number;
  /** Published rows older than this are deleted. */
  retainSentMs: number;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  maxDeliver: 5,
  ackWaitMs: 30_000,
  batchSize: 64,
  concurrency: 2,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 60_000,
};

export const DEFAULT_OUTBOX_SETTINGS: OutboxSettings = {
  pollIntervalMs: 500,
  batchSize: 256,
  retainSentMs: 60 * 60 * 1000,
};

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
