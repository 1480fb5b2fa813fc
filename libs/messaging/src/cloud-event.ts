import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';

/** CloudEvents 1.0 attributes carried in NATS headers (binary content mode). */
export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
  subject?: string | null;
}

export interface ReceivedEvent<T> extends CloudEventAttributes {
  data: T;
  /** 1 on first delivery. */
  deliveryCount: number;
  /** No retry follows this delivery: a handler that would throw `RetryLater` must act now with what it has. */
  finalAttempt: boolean;
  streamSequence: number;
}

export function toNatsHeaders(attributes: CloudEventAttributes, extra: Record<string, string> = {}): MsgHdrs {
  const h = natsHeaders();
  h.set('ce-specversion', '1.0');
  h.set('ce-id', attributes.id);
  h.set('ce-type', attributes.type);
  h.set('ce-source', attributes.source);
  h.set('ce-time', attributes.time);
  if (attributes.subject) h.set('ce-subject', attributes.subject);
  h.set('content-type', 'application/json');
  for (const [key, value] of Object.entries(extra)) h.set(key, value);
  return h;
}

export function headersToRecord(h: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!h) return record;
  for (const [key, values] of h) record[key.toLowerCase()] = values[0] ?? '';
  return record;
}

/** Reads the CloudEvents attributes; says which one is missing rather than guessing. */
export function readAttributes(h: Record<string, string>): CloudEventAttributes {
  const missing = ['ce-id', 'ce-type', 'ce-source', 'ce-time'].filter((key) => !h[key]);
  if (missing.length > 0) throw new Error(`missing CloudEvents header(s): ${missing.join(', ')}`);
  return { id: h['ce-id']!, type: h['ce-type']!, source: h['ce-source']!, time: h['ce-time']!, subject: h['ce-subject'] ?? null };
}
