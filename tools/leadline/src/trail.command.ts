import { headersToRecord } from '@leadline/messaging';
import type { JsMsg } from '@nats-io/jetstream';
import type { OperatorContext } from './operator-connection';
import { leadlineStreamNames } from './streams.command';
import { readWholeStream, streamExists } from './stream-reader';

export interface TrailEvent {
  time: string;
  type: string;
  eventId: string;
  source: string;
  stream: string;
  seq: number;
  traceId: string | null;
  /** Other records the event names (contact, lead, notification ...): ids only, never personal data. */
  refs: Record<string, string>;
  /** Set for a copy in the DLQ: which consumer gave up and why. */
  deadLettered?: { consumer: string; error: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF_KEYS = ['contactId', 'leadId', 'notificationId', 'memberId', 'originalConversationId'];

/**
 * Every event that names the conversation (its id anywhere in the body, or as `ce-subject`), from every
 * stream of the deployment including the DLQ, in the order they happened. Reads the streams whole: meant
 * for an operator following one case, not for a hot path.
 */
export async function conversationTrail(context: OperatorContext, conversationId: string): Promise<TrailEvent[]> {
  if (!UUID.test(conversationId)) throw new Error(`"${conversationId}" is not a conversation id (a UUID)`);
  const found: TrailEvent[] = [];
  for (const stream of leadlineStreamNames(context)) {
    if (!(await streamExists(context, stream))) continue;
    await readWholeStream(context, stream, (msg) => {
      const event = toTrailEvent(stream, msg, conversationId);
      if (event) found.push(event);
    });
  }
  return found.sort((a, b) => a.time.localeCompare(b.time) || a.stream.localeCompare(b.stream) || a.seq - b.seq);
}

function toTrailEvent(stream: string, msg: JsMsg, conversationId: string): TrailEvent | undefined {
  const h = headersToRecord(msg.headers);
  let body: unknown;
  try {
    body = msg.json<unknown>();
  } catch {
    body = undefined; // not JSON: cannot name the conversation in its body
  }
  if (h['ce-subject'] !== conversationId && !mentions(body, conversationId)) return undefined;
  const refs: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const key of REF_KEYS) {
      const value = (body as Record<string, unknown>)[key];
      if (typeof value === 'string') refs[key] = value;
    }
  }
  return {
    time: h['ce-time'] ?? '', type: h['ce-type'] ?? msg.subject, eventId: h['ce-id'] ?? '', source: h['ce-source'] ?? '',
    stream, seq: msg.seq, traceId: h['traceparent']?.split('-')[1] ?? null, refs,
    ...(h['leadline-dlq-consumer'] ? { deadLettered: { consumer: h['leadline-dlq-consumer'], error: h['leadline-dlq-error'] ?? '' } } : {}),
  };
}

function mentions(value: unknown, id: string): boolean {
  if (value === id) return true;
  if (Array.isArray(value)) return value.some((item) => mentions(item, id));
  if (value && typeof value === 'object') return Object.values(value).some((item) => mentions(item, id));
  return false;
}
