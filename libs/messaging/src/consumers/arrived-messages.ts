import type { JsMsg } from '@nats-io/jetstream';
/**
 * The messages the server has delivered and nobody has taken yet. The client library's own pending count
 * also counts its internal pull bookkeeping, so a batch built by "read while something is pending" could
 * wait for the next delivery with an event already in hand; here a batch is exactly what has arrived.
 * Adding pauses at `high` so a slow handler holds back the pulls instead of buffering without bound.
 */
export class ArrivedMessages<M = JsMsg> {
  private readonly waiting: M[] = [];
  private ended = false;
  private wakeTaker: (() => void) | undefined;
  private wakeFiller: (() => void) | undefined;

  constructor(private readonly high: number) {}

  /** Reads the subscription until it closes. */
  async fill(messages: AsyncIterable<M>): Promise<void> {
    try {
      for await (const msg of messages) await this.add(msg);
    } finally {
      this.end();
    }
  }

  /** Adds one message; resolves once there is room for the next. */
  async add(msg: M): Promise<void> {
    this.waiting.push(msg);
    this.wakeTaker?.();
    if (this.waiting.length >= this.high) await new Promise<void>((resolve) => { this.wakeFiller = resolve; });
  }

  /** No more messages will come: takers get what is left, then empty batches. */
  end(): void {
    this.ended = true;
    this.wakeTaker?.();
  }

  /** Up to `max` messages, waiting only while none has arrived; empty once the subscription has ended. */
  async take(max: number): Promise<M[]> {
    while (this.waiting.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => { this.wakeTaker = resolve; });
      this.wakeTaker = undefined;
    }
    const batch = this.waiting.splice(0, max);
    if (this.waiting.length < this.high) {
      this.wakeFiller?.();
      this.wakeFiller = undefined;
    }
    return batch;
  }
}
