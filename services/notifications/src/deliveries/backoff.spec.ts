import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff';

describe('delivery retry delays', () => {
  it('doubles with each failed attempt, starting at the base', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits longer than an hour', () => {
    expect(retryDelayMs(40, 5000)).toBe(MAX_RETRY_DELAY_MS);
  });
});
