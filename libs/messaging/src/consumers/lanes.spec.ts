import { laneOf, splitIntoLanes } from './lanes';

async function* from<T>(items: T[]): AsyncIterable<T> {
  for (const item of items) yield item;
}

async function drain<T>(lane: { take(max: number): Promise<T[]> }): Promise<T[]> {
  const all: T[] = [];
  for (let batch = await lane.take(3); batch.length > 0; batch = await lane.take(3)) all.push(...batch);
  return all;
}

describe('lanes', () => {
  it('keeps the events about one thing in one lane, in the order they arrived', async () => {
    const messages = Array.from({ length: 60 }, (_, i) => ({ key: `conversation-${i % 7}`, n: i }));
    const { lanes, filling } = splitIntoLanes(from(messages), 4, (m) => m.key, 100);
    await filling;
    const handled = await Promise.all(lanes.map(drain));
    expect(handled.flat()).toHaveLength(60);
    for (const key of new Set(messages.map((m) => m.key))) {
      const holding = handled.filter((lane) => lane.some((m) => m.key === key));
      expect(holding).toHaveLength(1);
      const order = holding[0]!.filter((m) => m.key === key).map((m) => m.n);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('spreads keyless events over every lane', async () => {
    const { lanes, filling } = splitIntoLanes(from(Array.from({ length: 8 }, (_, n) => n)), 4, () => null, 100);
    await filling;
    const handled = await Promise.all(lanes.map(drain));
    expect(handled.map((lane) => lane.length)).toEqual([2, 2, 2, 2]);
  });

  it('holds back the subscription while a lane is full', async () => {
    const read: number[] = [];
    async function* counted(): AsyncIterable<number> {
      for (let n = 0; n < 10; n += 1) { read.push(n); yield n; }
    }
    const { lanes, filling } = splitIntoLanes(counted(), 1, () => 'same', 3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(read.length).toBeLessThanOrEqual(4);
    expect(await drain(lanes[0]!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await filling;
  });

  it('gives one key always the same lane', () => {
    expect(laneOf('01a23dba-c7da-75cd-965f-17bf96473a2c', 4)).toBe(laneOf('01a23dba-c7da-75cd-965f-17bf96473a2c', 4));
    expect(new Set(Array.from({ length: 100 }, (_, i) => laneOf(`k${i}`, 4))).size).toBe(4);
  });
});
