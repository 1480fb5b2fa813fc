/**
 * Preloaded into each service process by the bench (`node --require …/memory-reporter.js main.js`): reports the
 * process's memory to the bench over the IPC channel once a second. The service's own code is untouched.
 * With BENCH_MEMORY_GC=1 (and --expose-gc) it collects garbage first, so a soak compares live heap, not the
 * garbage that happened to be waiting at that instant.
 */
export interface MemorySample {
  kind: 'memory';
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const everyMs = Number(process.env['BENCH_MEMORY_EVERY_MS'] ?? 1000);
const collect = process.env['BENCH_MEMORY_GC'] === '1' ? (globalThis as { gc?: () => void }).gc : undefined;

if (typeof process.send === 'function') {
  // The channel must not keep a service alive after SIGTERM has closed everything else.
  (process.channel as { unref?: () => void } | undefined)?.unref?.();
  const timer = setInterval(() => {
    collect?.();
    const usage = process.memoryUsage();
    const sample: MemorySample = {
      kind: 'memory', at: Date.now(), rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external,
    };
    if (process.connected) process.send?.(sample);
  }, everyMs);
  timer.unref();
}
