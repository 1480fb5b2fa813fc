import { ArrivedMessages } from './arrived-messages';

/**
 * Splits one subscription into `count` lanes that are handled at the same time, each in order. A message goes to
 * the lane of its key (the CloudEvents subject: a conversation or a contact), so events about one thing are never
 * handled by two transactions at once, nor out of the order they arrived in; events about different things are.
 * Handling is mostly waiting for the database, so lanes multiply what one consumer can do.
 */
export function splitIntoLanes<M>(
  messages: AsyncIterable<M>, count: number, keyOf: (msg: M) => string | null, high: number,
): { lanes: ArrivedMessages<M>[]; filling: Promise<void> } {
  const lanes = Array.from({ length: count }, () => new ArrivedMessages<M>(high));
  let spread = 0;
  const filling = (async () => {
    try {
      for await (const msg of messages) {
        const key = keyOf(msg);
        // No key, no order to keep: spread such messages evenly.
        const lane = key === null ? (spread = (spread + 1) % count) : laneOf(key, count);
        await lanes[lane]!.add(msg);
      }
    } finally {
      for (const lane of lanes) lane.end();
    }
  })();
  return { lanes, filling };
}

/** FNV-1a: a cheap, stable spread of keys over the lanes. */
export function laneOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}
