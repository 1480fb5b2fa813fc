import type { EventDefinition } from '@leadline/contracts';
import { headersToRecord, readAttributes, type CloudEventAttributes, type SubjectNaming } from '@leadline/messaging';
import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { v7 as uuidv7 } from 'uuid';

export interface SeenEvent<T> extends CloudEventAttributes {
  data: T;
  headers: Record<string, string>;
  subject: string;
}

/** Reads a stream from its start with an ordered consumer, so it sees events published before it was asked. */
export async function awaitEvent<T extends object>(
  js: JetStreamClient, naming: SubjectNaming, definition: EventDefinition<T>,
  predicate: (data: T) => boolean = () => true, timeoutMs = 15_000,
): Promise<SeenEvent<T>> {
  const events = await collectEvents(js, naming, definition, predicate, 1, timeoutMs);
  return events[0]!;
}

export async function collectEvents<T extends object>(
  js: JetStreamClient, naming: SubjectNaming, definition: EventDefinition<T>,
  predicate: (data: T) => boolean, count: number, timeoutMs = 15_000,
): Promise<SeenEvent<T>[]> {
  const stream = naming.stream(definition.stream);
  const deadline = Date.now() + timeoutMs;
  // The stream may not exist yet when a test starts listening: wait for it.
  for (;;) {
    try {
      await js.streams.get(stream).then((s) => s.info());
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`stream ${stream} never appeared: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  // NATS 2.9 has no multi-filter ordered consumers: read the whole stream and filter here.
  const subject = naming.subject(definition.subject);
  const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const found: SeenEvent<T>[] = [];
  const messages = await consumer.consume();
  const timer = setTimeout(() => void messages.close(), Math.max(0, deadline - Date.now()));
  try {
    for await (const msg of messages) {
      if (msg.subject !== subject) continue;
      const event = toSeen<T>(msg);
      if (predicate(event.data)) found.push(event);
      if (found.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
  if (found.length < count) {
    throw new Error(`waited ${timeoutMs} ms for ${count} ${definition.type} event(s), saw ${found.length}`);
  }
  return found;
}

function toSeen<T>(msg: JsMsg): SeenEvent<T> {
  const headers = headersToRecord(msg.headers);
  return { ...readAttributes(headers), data: msg.json<T>(), headers, subject: msg.subject };
}

/** Publishes an event as a Leadline service would (CloudEvents headers, Nats-Msg-Id). */
export async function publishEvent<T extends object>(
  js: JetStreamClient, naming: SubjectNaming, definition: EventDefinition<T>, data: T,
  options: { id?: string; source?: string } = {},
): Promise<string> {
  const id = options.id ?? uuidv7();
  const h = natsHeaders();
  h.set('ce-specversion', '1.0');
  h.set('ce-id', id);
  h.set('ce-type', definition.type);
  h.set('ce-source', options.source ?? 'test');
  h.set('ce-time', new Date().toISOString());
  h.set('content-type', 'application/json');
  await js.publish(naming.subject(definition.subject), JSON.stringify(data), { headers: h, msgID: id });
  return id;
}

/** Polls until the check returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
