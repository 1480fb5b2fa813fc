import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** CPU time (ms) the whole machine spent busy and in total, from /proc/stat. */
interface MachineTicks {
  busy: number;
  total: number;
}

function machineTicks(): MachineTicks {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU ticks a process has used (user + system), 0 when it is gone. */
function processTicks(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The machine's processes by command name (PostgreSQL's backends, nats-server), for their CPU time. */
function ticksByCommand(commands: readonly string[]): Record<string, number> {
  const ticks: Record<string, number> = Object.fromEntries(commands.map((c) => [c, 0]));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (command in ticks) ticks[command]! += processTicks(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

const SERVERS = ['postgres', 'nats-server'] as const;

export interface LoadReport {
  cores: number;
  loadAverage1m: number;
  /** Share of the machine's CPU in use, all processes (0-100 per machine, not per core). */
  machineBusyPercent: number;
  /** Share used by the processes we started (services and this bench). */
  oursPercent: number;
  /** CPU seconds (user + system) of each service, this bench, and PostgreSQL and NATS (all their processes). */
  cpuSeconds: Record<string, number>;
}

/**
 * How loaded the machine was during a phase, and how much of that was us: the machine is shared, so a figure
 * measured while others were busy says so next to it.
 */
export class LoadMeter {
  private readonly machineStart = machineTicks();
  private readonly start: Record<string, number>;

  constructor(private readonly processes: () => { name: string; pid: number | undefined }[]) {
    this.start = this.ticksNow();
  }

  report(): LoadReport {
    const machine = machineTicks();
    const total = machine.total - this.machineStart.total;
    const busy = machine.busy - this.machineStart.busy;
    const now = this.ticksNow();
    const used = Object.fromEntries(Object.entries(now).map(([name, ticks]) => [name, ticks - (this.start[name] ?? 0)]));
    const ours = Object.entries(used).filter(([name]) => !(SERVERS as readonly string[]).includes(name)).reduce((sum, [, t]) => sum + t, 0);
    return {
      cores: cpus().length,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      machineBusyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
      oursPercent: total > 0 ? Math.round((ours / total) * 1000) / 10 : 0,
      cpuSeconds: Object.fromEntries(Object.entries(used).map(([name, ticks]) => [name, ticks / TICKS_PER_SECOND])),
    };
  }

  private ticksNow(): Record<string, number> {
    return {
      ...Object.fromEntries(this.processes().map(({ name, pid }) => [name, processTicks(pid)])),
      bench: processTicks(process.pid),
      ...ticksByCommand(SERVERS),
    };
  }
}
