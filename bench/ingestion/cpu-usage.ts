import { readFileSync } from 'node:fs';

/**
 * CPU time a server process and its PostgreSQL backends spend, from /proc (Linux). Throughput on a shared machine
 * drifts with whatever else runs; CPU seconds per message barely do, so the bench reports both.
 */
export interface CpuSnapshot {
  server: number;
  /** Backend pid -> CPU seconds. */
  backends: Map<number, number>;
}

export interface CpuSpent {
  serverSeconds: number;
  postgresSeconds: number;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

/** utime + stime of a process in seconds, or undefined where /proc has no such process. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export class CpuMeter {
  constructor(
    private readonly serverPid: number,
    /** The pids of the server's PostgreSQL backends (its connections' application_name), looked up now. */
    private readonly backendPids: () => Promise<number[]>,
  ) {}

  static available(): boolean {
    return processCpuSeconds(process.pid) !== undefined;
  }

  async snapshot(): Promise<CpuSnapshot> {
    const backends = new Map<number, number>();
    for (const pid of await this.backendPids()) {
      const seconds = processCpuSeconds(pid);
      if (seconds !== undefined) backends.set(pid, seconds);
    }
    return { server: processCpuSeconds(this.serverPid) ?? 0, backends };
  }

  /**
   * CPU spent since `before`. A backend that started meanwhile counts whole; one that ended meanwhile is lost
   * (the pools keep their connections through a round, so neither is expected).
   */
  async since(before: CpuSnapshot): Promise<CpuSpent> {
    const after = await this.snapshot();
    let postgresSeconds = 0;
    for (const [pid, seconds] of after.backends) postgresSeconds += seconds - (before.backends.get(pid) ?? 0);
    return { serverSeconds: after.server - before.server, postgresSeconds };
  }
}
