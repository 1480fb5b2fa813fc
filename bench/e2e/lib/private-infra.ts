import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { waitFor } from './stats';

/**
 * NATS and PostgreSQL of our own, on free ports and in temporary directories, so a chaos run can kill and
 * restart them without touching the shared servers on 4222 and 5432 that everyone else uses.
 */
export const NATS_SERVER = process.env['BENCH_NATS_SERVER'] ?? '/usr/sbin/nats-server';
export const PG_BIN = process.env['BENCH_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export class PrivateNats {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number, readonly storeDir: string) {}

  static async start(): Promise<PrivateNats> {
    const nats = new PrivateNats(await freePort(), mkdtempSync(join(tmpdir(), 'leadline-nats-')));
    await nats.launch();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Kills our server (SIGKILL by default: a crash, not a goodbye) and starts it again on the same store. */
  async restart(signal: NodeJS.Signals = 'SIGKILL', downMs = 2000): Promise<void> {
    await this.halt(signal);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.halt('SIGTERM');
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const child = spawn(NATS_SERVER, ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
    this.child = child;
    await waitFor(`nats-server on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}: ${stderr}`);
      return tcpAnswers(this.port);
    }, 15_000, 100);
  }

  private async halt(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

function tcpAnswers(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(undefined));
  });
}

/**
 * A PostgreSQL 15 cluster made with initdb in a temporary directory, trust auth on loopback. PostgreSQL refuses
 * to run as root, so when we are root every command runs as the `postgres` user through runuser.
 */
export class PrivatePostgres {
  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'leadline-pg-'));
    const pg = new PrivatePostgres(await freePort(), dir);
    mkdirSync(pg.socketDir);
    if (runningAsRoot()) {
      chownSync(dir, postgresUid(), postgresGid());
      chownSync(pg.socketDir, postgresUid(), postgresGid());
    }
    pg.run('initdb', ['-D', pg.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await pg.launch();
    return pg;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  private get socketDir(): string {
    return join(this.dir, 'sockets');
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Stops the cluster (immediate mode by default: no checkpoint, crash recovery at start) and starts it again. */
  async restart(mode: 'immediate' | 'fast' = 'immediate', downMs = 2000): Promise<void> {
    this.run('pg_ctl', ['stop', '-D', this.dataDir, '-m', mode, '-w']);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.launch();
  }

  async stop(): Promise<void> {
    try {
      this.run('pg_ctl', ['stop', '-D', this.dataDir, '-m', 'fast', '-w']);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async launch(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.socketDir} -c max_connections=200`;
    this.run('pg_ctl', ['start', '-D', this.dataDir, '-w', '-t', '60', '-l', join(this.dir, 'postgres.log'), '-o', options]);
    await waitFor(`PostgreSQL on port ${this.port}`, async () => {
      const client = new Client({ connectionString: this.url('postgres') });
      await client.connect();
      await client.end();
      return true;
    }, 30_000, 100);
  }

  private run(tool: string, args: string[]): void {
    const binary = join(PG_BIN, tool);
    const [command, commandArgs] = runningAsRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
    execFileSync(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'], cwd: this.dir });
  }
}

function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}

function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
}
