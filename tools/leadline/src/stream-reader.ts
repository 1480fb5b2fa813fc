import { DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { OperatorContext } from './operator-connection';

/** How long to wait for the next message of a stream being read to its end before giving up. */
const READ_IDLE_TIMEOUT_MS = 5_000;

/**
 * Reads a stream from its first to its last message with an ordered consumer (nothing durable is left
 * behind), calling `visit` for each. NATS 2.9 has no multi-subject filters, so callers filter.
 */
export async function readWholeStream(context: OperatorContext, stream: string, visit: (msg: JsMsg) => void): Promise<void> {
  const info = await context.jsm.streams.info(stream);
  if (info.state.messages === 0) return;
  const consumer = await context.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const messages = await consumer.consume({ max_messages: 256 });
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void messages.close(), READ_IDLE_TIMEOUT_MS);
  };
  arm();
  try {
    for await (const msg of messages) {
      arm();
      visit(msg);
      if (msg.info.pending === 0) break;
    }
  } finally {
    clearTimeout(timer);
    await messages.close();
  }
}

export async function streamExists(context: OperatorContext, stream: string): Promise<boolean> {
  try {
    await context.jsm.streams.info(stream);
    return true;
  } catch {
    return false;
  }
}
