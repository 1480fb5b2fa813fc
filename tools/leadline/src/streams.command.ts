import { STREAMS, type StreamName } from '@leadline/contracts';
import type { OperatorContext } from './operator-connection';

export interface StreamRow {
  stream: string;
  subjects: string;
  messages: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  consumers: number;
}

export interface ConsumerRow {
  stream: string;
  consumer: string;
  /** Events in the stream not yet delivered to the consumer: its lag. */
  pending: number;
  ackPending: number;
  redelivered: number;
  lastDelivered: number;
}

/** The deployment's streams (the event streams and the DLQ), as they exist on the server. */
export function leadlineStreamNames(context: OperatorContext): string[] {
  return [...(Object.keys(STREAMS) as StreamName[]), 'DLQ' as const].map((name) => context.naming.stream(name));
}

export async function listStreams(context: OperatorContext): Promise<StreamRow[]> {
  const rows: StreamRow[] = [];
  for (const stream of leadlineStreamNames(context)) {
    const info = await context.jsm.streams.info(stream).catch(() => undefined);
    if (!info) continue; // not created yet: no service that uses it has started
    rows.push({
      stream, subjects: (info.config.subjects ?? []).join(' '), messages: info.state.messages, bytes: info.state.bytes,
      firstSeq: info.state.first_seq, lastSeq: info.state.last_seq, consumers: info.state.consumer_count,
    });
  }
  return rows;
}

export async function listConsumers(context: OperatorContext, onlyStream?: string): Promise<ConsumerRow[]> {
  const rows: ConsumerRow[] = [];
  for (const stream of leadlineStreamNames(context)) {
    if (onlyStream && stream !== onlyStream && stream !== context.naming.stream(onlyStream as StreamName)) continue;
    if (!(await context.jsm.streams.info(stream).then(() => true, () => false))) continue;
    for await (const info of context.jsm.consumers.list(stream)) {
      if (!info.config.durable_name) continue; // ordered readers (like this tool's) come and go
      rows.push({
        stream, consumer: info.name, pending: info.num_pending, ackPending: info.num_ack_pending,
        redelivered: info.num_redelivered, lastDelivered: info.delivered.stream_seq,
      });
    }
  }
  return rows.sort((a, b) => a.stream.localeCompare(b.stream) || a.consumer.localeCompare(b.consumer));
}
