import { STREAMS } from '@leadline/contracts';
import { headersToRecord } from '@leadline/messaging';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { UsageError, type OperatorContext } from './operator-connection';
import { readWholeStream, streamExists } from './stream-reader';

/** A dead-lettered event, described by the `Leadline-Dlq-*` headers the consumers set (libs/messaging). */
export interface DlqEntry {
  /** Its sequence in the DLQ stream: what `dlq replay --id` takes. */
  seq: number;
  eventId: string | null;
  type: string | null;
  /** The consumer that gave up on it. */
  consumer: string;
  /** Where it was published, which is where a replay sends it back. */
  subject: string;
  stream: string;
  streamSeq: number;
  deliveries: number;
  error: string;
  deadLetteredAt: string | null;
}

const DLQ_HEADER = 'leadline-dlq-';

export async function listDeadLetters(context: OperatorContext, filter: { consumer?: string } = {}): Promise<DlqEntry[]> {
  const stream = context.naming.stream('DLQ');
  if (!(await streamExists(context, stream))) return [];
  const entries: DlqEntry[] = [];
  await readWholeStream(context, stream, (msg) => {
    const entry = toEntry(msg.seq, msg.headers);
    if (entry && (!filter.consumer || entry.consumer === filter.consumer)) entries.push(entry);
  });
  return entries;
}

function toEntry(seq: number, headers: MsgHdrs | undefined): DlqEntry | undefined {
  const h = headersToRecord(headers);
  const subject = h[`${DLQ_HEADER}subject`];
  const consumer = h[`${DLQ_HEADER}consumer`];
  if (!subject || !consumer) return undefined; // not put there by a Leadline consumer: leave it alone
  return {
    seq, eventId: h['ce-id'] ?? null, type: h['ce-type'] ?? null, consumer, subject,
    stream: h[`${DLQ_HEADER}stream`] ?? '', streamSeq: Number(h[`${DLQ_HEADER}stream-seq`] ?? 0),
    deliveries: Number(h[`${DLQ_HEADER}deliveries`] ?? 0), error: h[`${DLQ_HEADER}error`] ?? '',
    deadLetteredAt: h[`${DLQ_HEADER}time`] ?? null,
  };
}

export interface ReplaySelection {
  /** DLQ sequence numbers or event ids (ce-id). */
  ids?: string[];
  all?: boolean;
  consumer?: string;
}

export interface ReplayResult {
  seq: number;
  eventId: string | null;
  subject: string;
  /** The stream sequence it was republished at. */
  republishedSeq: number;
}

/**
 * Publishes each chosen event again to the subject it was first published to, with its original body and
 * CloudEvents headers (the same `ce-id`), then removes it from the DLQ. Every durable on that subject sees it
 * again; those that handled it before find its id in their inbox and change nothing, so only the consumer
 * that failed does the work. It must be fixed first, or the event comes back to the DLQ.
 */
export async function replayDeadLetters(context: OperatorContext, selection: ReplaySelection): Promise<ReplayResult[]> {
  if (!selection.all && !(selection.ids?.length)) throw new UsageError('say which events: --id <dlq seq or event id> (repeatable) or --all');
  const dlqStream = context.naming.stream('DLQ');
  const entries = await listDeadLetters(context, selection.consumer ? { consumer: selection.consumer } : {});
  const chosen = selection.all ? entries : entries.filter((entry) => selection.ids!.some((id) => id === String(entry.seq) || id === entry.eventId));
  if (!selection.all) {
    const missing = selection.ids!.filter((id) => !chosen.some((entry) => id === String(entry.seq) || id === entry.eventId));
    if (missing.length > 0) throw new UsageError(`not in ${dlqStream}: ${missing.join(', ')} (see \`leadline dlq list\`)`);
  }
  const results: ReplayResult[] = [];
  for (const entry of chosen) results.push(await replayOne(context, dlqStream, entry));
  return results;
}

async function replayOne(context: OperatorContext, dlqStream: string, entry: DlqEntry): Promise<ReplayResult> {
  assertReplayableSubject(context, entry.subject);
  const stored = await context.jsm.streams.getMessage(dlqStream, { seq: entry.seq });
  if (!stored) throw new Error(`${dlqStream} message ${entry.seq} disappeared while replaying: list the DLQ again`);
  const h = natsHeaders();
  for (const [key, values] of stored.header ?? []) {
    const lower = key.toLowerCase();
    if (lower.startsWith(DLQ_HEADER) || lower === 'nats-msg-id') continue;
    for (const value of values) h.append(key, value);
  }
  h.set('Leadline-Replayed-From', `${dlqStream}:${entry.seq}`);
  // The msg id makes a replay that is retried (the ack was lost) publish once; it differs from the event's own
  // id, which the stream's de-duplication window would otherwise drop if the event is younger than 2 minutes.
  const ack = await context.js.publish(entry.subject, stored.data, { headers: h, msgID: `replay:${dlqStream}:${entry.seq}` });
  await context.jsm.streams.deleteMessage(dlqStream, entry.seq, false);
  return { seq: entry.seq, eventId: entry.eventId, subject: entry.subject, republishedSeq: ack.seq };
}

/** Only back onto one of this deployment's event streams, never onto the DLQ itself or a foreign subject. */
function assertReplayableSubject(context: OperatorContext, subject: string): void {
  const unprefixed = context.naming.unprefixed(subject);
  const root = unprefixed.split('.')[0] ?? '';
  const known = (Object.values(STREAMS) as string[]).includes(root);
  if (!known || context.naming.subject(unprefixed) !== subject) {
    throw new Error(`refusing to replay to "${subject}": not a subject of this deployment's event streams (NATS_SUBJECT_PREFIX="${context.prefix}")`);
  }
}
