import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MemorySample } from './memory-reporter';
import { freePort } from './ports';
import { GaveUp, waitFor } from './stats';

export const SERVICE_NAMES = ['accounts', 'ingestion', 'extraction', 'identity', 'leads', 'notifications'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** The repository, found from wherever this file runs: the sources (jest), dist/ (run-ts) or a private build. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, '.swcrc')) && existsSync(join(dir, 'services'))) return dir;
  }
  throw new Error(`no Leadline repository above ${from}`);
}

/**
 * Compiles services, libs and bench into a private folder under tmp/ (inside the repository so node_modules
 * resolve), so our service processes never load a file another build is rewriting in dist/ at that moment.
 */
export function buildServices(outDir = join(REPO_ROOT, 'tmp', 'perf-dist')): string {
  execFileSync(process.execPath, [
    require.resolve('@swc/cli/bin/swc.js', { paths: [REPO_ROOT] }), 'services', 'libs', 'bench', '-d', outDir,
    '--config-file', '.swcrc', '--quiet', '--copy-files', '--ignore', '**/*.spec.ts,**/*.service-test.ts,**/*.e2e-test.ts',
  ], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return outDir;
}

interface Running {
  child: ChildProcess;
  port: number;
  samples: MemorySample[];
}

export interface ClusterOptions {
  distDir: string;
  logDir: string;
  /** Environment of one service (database, NATS, schema, prefix…); PORT is added here. */
  env: (service: ServiceName) => NodeJS.ProcessEnv;
  /** Collect garbage before each memory sample (soak). */
  gcBeforeSample?: boolean;
  /** Start a service again when it dies on its own, as an orchestrator would (the exit is still recorded). */
  restartOnCrash?: boolean;
}

/** The six services as separate Node processes, as in production: started, SIGKILLed, restarted, measured. */
export class ServiceCluster {
  private readonly running = new Map<ServiceName, Running>();
  private readonly ports = new Map<ServiceName, number>();
  private readonly logs = new Map<ServiceName, WriteStream>();
  /** Exits we did not ask for: a service that died on its own is a finding. */
  readonly unexpectedExits: string[] = [];
  private readonly expectingExit = new Set<ServiceName>();
  private stopping = false;

  constructor(private readonly options: ClusterOptions) {
    mkdirSync(options.logDir, { recursive: true });
  }

  /** The build the services run from (bench code included). */
  get distDir(): string {
    return this.options.distDir;
  }

  url(service: ServiceName): string {
    const port = this.ports.get(service);
    if (!port) throw new Error(`${service} was never started`);
    return `http://127.0.0.1:${port}`;
  }

  pid(service: ServiceName): number | undefined {
    return this.running.get(service)?.child.pid;
  }

  async startAll(): Promise<void> {
    for (const service of SERVICE_NAMES) this.spawn(service, await this.portOf(service));
    await Promise.all(SERVICE_NAMES.map((service) => this.waitReady(service)));
  }

  async start(service: ServiceName): Promise<void> {
    this.spawn(service, await this.portOf(service));
    await this.waitReady(service);
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const running = this.running.get(service);
    if (!running) return;
    this.expectingExit.add(service);
    const { child } = running;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    }
    this.running.delete(service);
    this.expectingExit.delete(service);
  }

  async restart(service: ServiceName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.kill(service, signal);
    await this.start(service);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(SERVICE_NAMES.map(async (service) => {
      const running = this.running.get(service);
      if (!running) return;
      const timer = setTimeout(() => running.child.kill('SIGKILL'), 15_000);
      await this.kill(service, 'SIGTERM');
      clearTimeout(timer);
    }));
    for (const log of this.logs.values()) log.end();
  }

  /** Memory samples of the running process of a service since `sinceMs` (epoch ms). */
  memory(service: ServiceName, sinceMs = 0): MemorySample[] {
    return (this.running.get(service)?.samples ?? []).filter((sample) => sample.at >= sinceMs);
  }

  async waitReady(service: ServiceName, timeoutMs = 90_000): Promise<void> {
    const url = `${this.url(service)}/health/ready`;
    await waitFor(`${service} to be ready (log: ${this.logFile(service)})`, async () => {
      const running = this.running.get(service);
      if (!running || running.child.exitCode !== null) {
        throw new GaveUp(`${service} exited with code ${running?.child.exitCode} while starting; see ${this.logFile(service)}`);
      }
      const response = await fetch(url);
      return response.ok ? true : undefined;
    }, timeoutMs, 200);
  }

  logFile(service: ServiceName): string {
    return join(this.options.logDir, `${service}.log`);
  }

  private async portOf(service: ServiceName): Promise<number> {
    let port = this.ports.get(service);
    if (!port) {
      port = await freePort();
      this.ports.set(service, port);
    }
    return port;
  }

  private spawn(service: ServiceName, port: number): void {
    const { distDir } = this.options;
    const args = [
      ...(this.options.gcBeforeSample ? ['--expose-gc'] : []),
      // BENCH_CPU_PROF=1: a V8 CPU profile per service process, written to the log folder when it exits.
      ...(process.env['BENCH_CPU_PROF'] === '1' ? ['--cpu-prof', `--cpu-prof-dir=${this.options.logDir}`, `--cpu-prof-name=${service}.${Date.now()}.cpuprofile`] : []),
      '--require', join(distDir, 'bench', 'e2e', 'lib', 'memory-reporter.js'),
      join(distDir, 'services', service, 'src', 'main.js'),
    ];
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...this.options.env(service), PORT: String(port), HOST: '127.0.0.1', ...(this.options.gcBeforeSample ? { BENCH_MEMORY_GC: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = this.logStream(service);
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const running: Running = { child, port, samples: [] };
    child.on('message', (message: MemorySample) => {
      if (message?.kind !== 'memory') return;
      running.samples.push(message);
      if (running.samples.length > 7200) running.samples.splice(0, running.samples.length - 7200);
    });
    child.on('exit', (code, signal) => {
      log.write(`\n[bench] ${service} (pid ${child.pid}) exited: code ${code}, signal ${signal}\n`);
      if (!this.expectingExit.has(service) && this.running.get(service)?.child === child) {
        this.unexpectedExits.push(`${service} exited on its own (code ${code}, signal ${signal}); see ${this.logFile(service)}`);
        if (this.options.restartOnCrash) setTimeout(() => this.respawnAfterCrash(service, child), 500);
      }
    });
    this.running.set(service, running);
  }

  private respawnAfterCrash(service: ServiceName, crashed: ChildProcess): void {
    if (this.running.get(service)?.child !== crashed || this.stopping) return;
    this.spawn(service, this.ports.get(service)!);
  }

  private logStream(service: ServiceName): WriteStream {
    let log = this.logs.get(service);
    if (!log) {
      log = createWriteStream(this.logFile(service), { flags: 'a' });
      this.logs.set(service, log);
    }
    return log;
  }
}
