import type { MemorySample } from './memory-reporter';
import { SERVICE_NAMES, type ServiceCluster, type ServiceName } from './service-cluster';
import { median } from './stats';

export interface ServiceMemory {
  service: ServiceName;
  samples: number;
  rssMb: number;
  rssMaxMb: number;
  heapUsedMb: number;
}

const MB = 1024 * 1024;

/** Steady resident memory per service over a window: the median of its samples, and the peak. */
export function memoryOver(cluster: ServiceCluster, fromMs: number, toMs: number): ServiceMemory[] {
  return SERVICE_NAMES.map((service) => {
    const samples = cluster.memory(service, fromMs).filter((s) => s.at <= toMs);
    return summarise(service, samples);
  });
}

export function summarise(service: ServiceName, samples: MemorySample[]): ServiceMemory {
  const mb = (n: number) => Math.round((n / MB) * 10) / 10;
  return {
    service,
    samples: samples.length,
    rssMb: mb(median(samples.map((s) => s.rss))),
    rssMaxMb: mb(Math.max(0, ...samples.map((s) => s.rss))),
    heapUsedMb: mb(median(samples.map((s) => s.heapUsed))),
  };
}

export interface Growth {
  service: ServiceName;
  early: ServiceMemory;
  late: ServiceMemory;
  rssGrowthMb: number;
  heapGrowthMb: number;
  grew: boolean;
}

/**
 * Compares a window after warm-up with the last window of a soak. Memory that settles is fine; memory that
 * keeps climbing (heap after a full collection, or resident size) beyond the allowance is a leak.
 */
export function growthBetween(
  cluster: ServiceCluster, early: [number, number], late: [number, number],
  allowance: { heapMb: number; heapRatio: number; rssMb: number; rssRatio: number },
): Growth[] {
  return SERVICE_NAMES.map((service) => {
    const a = summarise(service, cluster.memory(service, early[0]).filter((s) => s.at <= early[1]));
    const b = summarise(service, cluster.memory(service, late[0]).filter((s) => s.at <= late[1]));
    const heapGrowthMb = Math.round((b.heapUsedMb - a.heapUsedMb) * 10) / 10;
    const rssGrowthMb = Math.round((b.rssMb - a.rssMb) * 10) / 10;
    const grew = heapGrowthMb > Math.max(allowance.heapMb, a.heapUsedMb * allowance.heapRatio)
      || rssGrowthMb > Math.max(allowance.rssMb, a.rssMb * allowance.rssRatio);
    return { service, early: a, late: b, rssGrowthMb, heapGrowthMb, grew };
  });
}

export { SERVICE_NAMES };
