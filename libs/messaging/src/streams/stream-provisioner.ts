import {
  AckPolicy, DeliverPolicy, JetStreamApiError, StorageType, type JetStreamManager, type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

const STREAM_NOT_FOUND = 10059;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

export interface StreamSpec {
  name: string;
  subjects: string[];
  replicas: number;
}

/** Creates the stream, or brings an existing one to the expected subjects; safe to run from every replica. */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: spec.name,
    subjects: spec.subjects,
    storage: StorageType.File,
    num_replicas: spec.replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  try {
    const info = await jsm.streams.info(spec.name);
    const missing = spec.subjects.filter((subject) => !info.config.subjects?.includes(subject));
    if (missing.length > 0) {
      await jsm.streams.update(spec.name, { ...info.config, subjects: [...(info.config.subjects ?? []), ...missing] });
    }
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NOT_FOUND) throw error;
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another replica created it between our look and our add: that is the outcome we wanted.
      await jsm.streams.info(spec.name).catch(() => { throw addError; });
    }
  }
}

export interface DurableSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  maxDeliver: number;
  ackWaitMs: number;
  maxAckPending: number;
}

/**
 * A durable pull consumer with explicit acks. No server-side `backoff`: on NATS 2.9+ it would override
 * `ack_wait`; retries are delayed by the client's `nak(delay)` instead.
 */
export async function ensureDurableConsumer(jsm: JetStreamManager, spec: DurableSpec): Promise<void> {
  const config = {
    durable_name: spec.durable,
    filter_subject: spec.filterSubject,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
  };
  try {
    await jsm.consumers.add(spec.stream, config);
  } catch (error) {
    // Exists with other settings (an upgrade changed them): update what may change.
    await jsm.consumers.update(spec.stream, spec.durable, {
      filter_subject: config.filter_subject,
      max_deliver: config.max_deliver,
      ack_wait: config.ack_wait,
      max_ack_pending: config.max_ack_pending,
    }).catch(() => { throw error; });
  }
}
