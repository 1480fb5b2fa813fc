import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';

export interface DeadLetterDetails {
  consumer: string;
  stream: string;
  error: string;
  deliveryCount: number;
}

/** NATS header values are one line; keep the cause readable and bounded. */
function headerValue(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 2000);
}

/**
 * Copies the message, body and headers, to the DLQ stream with why it failed, where it came from and how
 * often it was tried. The reason travels in headers because NATS 2.9 ignores `term(reason)`.
 */
export async function deadLetter(js: JetStreamClient, dlqSubject: string, msg: JsMsg, details: DeadLetterDetails): Promise<void> {
  const h = natsHeaders();
  for (const [key, values] of msg.headers ?? []) {
    if (key.toLowerCase() === 'nats-msg-id') continue;
    for (const value of values) h.append(key, value);
  }
  h.set('Leadline-Dlq-Error', headerValue(details.error));
  h.set('Leadline-Dlq-Subject', msg.subject);
  h.set('Leadline-Dlq-Consumer', details.consumer);
  h.set('Leadline-Dlq-Stream', details.stream);
  h.set('Leadline-Dlq-Stream-Seq', String(msg.seq));
  h.set('Leadline-Dlq-Deliveries', String(details.deliveryCount));
  h.set('Leadline-Dlq-Time', new Date().toISOString());
  await js.publish(dlqSubject, msg.data, { headers: h, msgID: `${details.stream}:${msg.seq}:${details.consumer}` });
}
