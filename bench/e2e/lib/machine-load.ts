import { readFileSync } from 'node:fs';
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

export interface LoadReport {
  cores: number;
  loadAverage1m: number;
  /** Share of the machine's CPU in use, all processes (0-100 per machine, not per core). */
  machineBusyPercent: number;
  /** Share used by the processes we started (services and this bench). */
  oursPercent: number;
}

/**
 * How loaded the machine was during a phase, and how much of that was us: the machine is shared, so a figure
 * measured while others were busy says so next to it.
 */
export class LoadMeter {
  private readonly machineStart = machineTicks();
  private readonly oursStart: number;

  constructor(private readonly pids: () => (number | undefined)[]) {
    this.oursStart = this.oursNow();
  }

  report(): LoadReport {
    const machine = machineTicks();
    const total = machine.total - this.machineStart.total;
    const busy = machine.busy - this.machineStart.busy;
    const ours = this.oursNow() - this.oursStart;
    return {
      cores: cpus().length,
      loadAverage1m: Math.round(loadavg()[0]! * 100) / 100,
      machineBusyPercent: total > 0 ? Math.round((busy / total) * 1000) / 10 : 0,
      oursPercent: total > 0 ? Math.round((ours / total) * 1000) / 10 : 0,
    };
  }

  private oursNow(): number {
    return processTicks(process.pid) + this.pids().reduce<number>((sum, pid) => sum + processTicks(pid), 0);
  }
}
