import { ArrivedMessages } from './arrived-messages';

/** A subscription the test feeds by hand. */
function feed<T>() {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const iterable: AsyncIterable<T> = {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length === 0 && !closed) await new Promise<void>((resolve) => { wake = resolve; });
        if (queue.length === 0) return;
        yield queue.shift()!;
      }
    },
  };
  return {
    iterable,
    push: (...items: T[]) => { queue.push(...items); wake?.(); },
    close: () => { closed = true; wake?.(); },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('arrived messages', () => {
  it('hands over a lone message at once instead of waiting for a companion', async () => {
    const source = feed<number>();
    const arrived = new ArrivedMessages<number>(10);
    void arrived.fill(source.iterable);
    const taking = arrived.take(5);
    source.push(1);
    await expect(taking).resolves.toEqual([1]);
    source.close();
  });

  it('batches what has arrived, up to the maximum, in arrival order', async () => {
    const source = feed<number>();
    const arrived = new ArrivedMessages<number>(100);
    void arrived.fill(source.iterable);
    source.push(1, 2, 3, 4, 5, 6, 7);
    await tick();
    await tick();
    expect(await arrived.take(5)).toEqual([1, 2, 3, 4, 5]);
    expect(await arrived.take(5)).toEqual([6, 7]);
    source.close();
  });

  it('stops reading at the high-water mark until something is taken', async () => {
    const source = feed<number>();
    const arrived = new ArrivedMessages<number>(3);
    void arrived.fill(source.iterable);
    source.push(1, 2, 3, 4, 5);
    for (let i = 0; i < 10; i += 1) await tick();
    expect(await arrived.take(10)).toEqual([1, 2, 3]);
    for (let i = 0; i < 10; i += 1) await tick();
    expect(await arrived.take(10)).toEqual([4, 5]);
    source.close();
  });

  it('hands over what is left after the subscription closes, then an empty batch', async () => {
    const source = feed<number>();
    const arrived = new ArrivedMessages<number>(10);
    const filling = arrived.fill(source.iterable);
    source.push(1, 2);
    source.close();
    await filling;
    expect(await arrived.take(10)).toEqual([1, 2]);
    expect(await arrived.take(10)).toEqual([]);
  });
});
