import { ALL_FAULTS, runChaos } from '../bench/chaos/chaos-run';
import { buildServices } from '../bench/e2e/lib/service-cluster';

/**
 * The short chaos run of CI: about 100 conversations through a Leadline on a private nats-server and
 * PostgreSQL cluster, while every service is SIGKILLed and restarted in turn, then NATS, then PostgreSQL.
 * Nothing may be lost and nothing may happen twice. The full run (2,000 conversations) is bench/chaos.
 */
describe('chaos: every part killed once while conversations flow', () => {
  jest.setTimeout(15 * 60_000);

  it('loses nothing and duplicates nothing', async () => {
    const distDir = buildServices();
    const result = await runChaos({
      conversations: Number(process.env['CHAOS_CONVERSATIONS'] ?? 100), ratePerSecond: 3, faults: ALL_FAULTS, distDir,
      log: (line) => { if (process.env['CHAOS_VERBOSE']) process.stdout.write(`[chaos] ${line}\n`); },
    });
    expect(result.faults).toHaveLength(ALL_FAULTS.length);
    expect(result.problems).toEqual([]);
    expect({ lost: result.lost, duplicated: result.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(result.deadLettered).toBe(0);
  });
});
