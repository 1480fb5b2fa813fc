import { DEFAULT_CONSUMER_SETTINGS } from '../messaging.options';
import { retryDelayMs, serverMaxDeliver, verdictForFailure } from './retry-policy';

describe('retry policy', () => {
  const settings = { ...DEFAULT_CONSUMER_SETTINGS, maxDeliver: 4, retryBaseDelayMs: 100, retryMaxDelayMs: 350 };

  it('waits longer after each failed delivery, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, settings))).toEqual([100, 200, 350, 350]);
  });

  it('retries until the last allowed delivery, then dead-letters', () => {
    expect(verdictForFailure(3, settings)).toEqual({ action: 'retry', delayMs: 350 });
    expect(verdictForFailure(4, settings)).toEqual({ action: 'dead-letter' });
  });

  it('lets the server deliver past our limit so a crash on the last attempt is still dead-lettered', () => {
    expect(serverMaxDeliver(4)).toBeGreaterThan(4);
  });
});
