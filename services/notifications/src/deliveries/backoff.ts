/** Longest wait between two attempts of one delivery. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** Delay before the next attempt after `attempts` failed ones: base, 2×base, 4×base ... capped at one hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 30));
  return Math.min(baseMs * 2 ** exponent, MAX_RETRY_DELAY_MS);
}
