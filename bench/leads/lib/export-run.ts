/** The export bench itself (see ../export.bench.ts, its entry point). */
import { memberHeaders } from '@leadline/testing';
import { loadavg } from 'node:os';
import { benchAccountId } from './bench-data';
import { benchService, log, option, removeBenchStreams, round } from './bench-setup';
import { processMemory } from './leads-process';

/**
 * Streams the account's whole export (`scope=all`) from the leads service in its own process, counting rows
 * as they arrive without keeping them, and samples the service's resident memory every 20 ms; the kernel's
 * high-water mark (VmHWM) catches any peak between samples.
 */
interface ExportMeasure { rows: number; bytes: number; seconds: number; firstByteMs: number; beforeMiB: number; peakMiB: number; hwmMiB: number }

/** One export on a freshly started service, so its memory high-water mark belongs to this export alone. */
async function measureExport(leads: number, accounts: number, query: string, nodeArgs: string[] = []): Promise<ExportMeasure> {
  const service = await benchService(leads, accounts, nodeArgs);
  try {
    const headers = memberHeaders(benchAccountId(0));
    // A small export first, so the connection pool and code paths are warm.
    await (await fetch(`${service.url}/v1/leads/export.csv?scope=page&limit=50`, { headers })).text();
    const before = processMemory(service.pid);
    let peakSampled = before.rssMiB;
    const sampler = setInterval(() => {
      peakSampled = Math.max(peakSampled, processMemory(service.pid).rssMiB);
    }, 20);
    const started = process.hrtime.bigint();
    const response = await fetch(`${service.url}/v1/leads/export.csv?${query}`, { headers });
    if (response.status !== 200 || !response.body) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let bytes = 0;
    let newlines = 0;
    let firstByteMs = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      if (bytes === 0) firstByteMs = Number(process.hrtime.bigint() - started) / 1e6;
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 10) newlines += 1;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    const after = processMemory(service.pid);
    // Summaries hold no newline, so every line is one lead after the header.
    return {
      rows: newlines - 1, bytes, seconds, firstByteMs, beforeMiB: before.rssMiB, peakMiB: Math.max(peakSampled, after.rssMiB), hwmMiB: after.peakRssMiB,
    };
  } finally {
    await service.stop();
  }
}

/**
 * Streams the account's whole export (`scope=all`, 100k leads) and a quarter of it from the leads service in
 * its own process, counting rows as they arrive without keeping them, sampling the service's resident memory
 * every 20 ms (the kernel's high-water mark catches any peak between samples). Memory that does not grow with
 * the row count shows the export is streamed, not held.
 */
export async function runExportBench(): Promise<void> {
  const leads = option('--leads', 1_000_000);
  const accounts = option('--accounts', 10);
  const quarter = new Date(Date.parse('2026-11-01T00:00:00Z') - 91 * 86_400_000).toISOString();
  const heapCap = option('--heap-cap', 56);
  try {
    const runs: [string, ExportMeasure][] = [
      ['a quarter (created in the last 91 days)', await measureExport(leads, accounts, `scope=all&createdFrom=${encodeURIComponent(quarter)}`)],
      ['all of the account', await measureExport(leads, accounts, 'scope=all')],
    ];
    // RSS alone cannot tell streaming from holding: V8 grows its heap lazily while garbage accumulates. A
    // service whose JavaScript heap is capped below what 100k held rows would take (the CSV alone is ~33 MiB,
    // the row objects several times that) can only finish the export if it streams.
    const capped = `all of the account, heap capped at ${heapCap} MiB`;
    try {
      runs.push([capped, await measureExport(leads, accounts, 'scope=all', [`--max-old-space-size=${heapCap}`])]);
    } catch (error) {
      log(`${capped}: FAILED (${(error as Error).message}); the service needs more heap than the cap, see bench/leads/README.md`);
    }
    log(`\nCSV export of account 0 at ${leads} leads (${accounts} accounts); machine load average ${round(loadavg()[0]!, 2)}`);
    log('export                                               rows    MiB  seconds  rows/s  first byte ms  RSS before  RSS peak  growth (MiB)');
    for (const [name, m] of runs) {
      log(`${name.padEnd(50)} ${String(m.rows).padStart(7)} ${String(round(m.bytes / 1048576)).padStart(6)} ${String(round(m.seconds, 2)).padStart(8)} `
        + `${String(Math.round(m.rows / m.seconds)).padStart(7)} ${String(round(m.firstByteMs)).padStart(14)} ${String(round(m.beforeMiB)).padStart(11)} `
        + `${String(round(Math.max(m.peakMiB, m.hwmMiB))).padStart(9)} ${String(round(Math.max(m.peakMiB, m.hwmMiB) - m.beforeMiB)).padStart(13)}`);
    }
  } finally {
    await removeBenchStreams();
  }
}
