import { awaitAccountsKnown, createAccounts } from '../e2e/lib/accounts-setup';
import { Deployment, pipelineIdle } from '../e2e/lib/deployment';
import { completionTimes, verifyOutcome, type Verdict } from '../e2e/lib/outcome';
import { SERVICE_NAMES, type ServiceName } from '../e2e/lib/service-cluster';
import { round, sleep, waitFor } from '../e2e/lib/stats';
import { drive, planConversations, type DrivenConversation } from '../e2e/lib/workload';

export type Fault = { kind: 'service'; service: ServiceName } | { kind: 'nats' } | { kind: 'postgres' };

/** Every service SIGKILLed and restarted in turn, then NATS, then PostgreSQL. */
export const ALL_FAULTS: Fault[] = [
  ...SERVICE_NAMES.map((service): Fault => ({ kind: 'service', service })),
  { kind: 'nats' },
  { kind: 'postgres' },
];

export interface ChaosOptions {
  conversations: number;
  /** Conversations started per second while the faults happen. */
  ratePerSecond: number;
  accounts?: number;
  idleWindowSeconds?: number;
  faults?: Fault[];
  /** A build to reuse (else one is made). */
  distDir?: string;
  log?: (line: string) => void;
}

export interface ChaosResult extends Verdict {
  faults: string[];
  unexpectedExits: string[];
  deadLettered: number;
  seconds: number;
}

function describe(fault: Fault): string {
  return fault.kind === 'service' ? `SIGKILL ${fault.service}` : fault.kind === 'nats' ? 'kill NATS' : 'stop PostgreSQL (immediate)';
}

/**
 * Drives conversations through a Leadline on its own NATS and PostgreSQL while killing each part in turn, then
 * checks that every conversation produced exactly what it should: nothing lost, nothing twice.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`[chaos] ${line}\n`));
  const started = Date.now();
  const deployment = await Deployment.start({
    privateInfrastructure: true,
    ...(options.distDir ? { distDir: options.distDir } : {}),
    restartOnCrash: true,
    serviceEnv: { CONSUMER_RETRY_BASE_MS: '200', OUTBOX_POLL_MS: '250', CONSUMER_MAX_DELIVER: '10' },
  });
  try {
    log(`private NATS ${deployment.natsUrl}, PostgreSQL ${deployment.databaseUrl}; logs in ${deployment.logDir}`);
    await deployment.cluster.startAll();
    const accounts = await createAccounts(deployment.cluster.url('accounts'), options.accounts ?? 2, deployment.prefix, options.idleWindowSeconds ?? 2);
    await awaitAccountsKnown(deployment.db, accounts);
    const plan = planConversations(options.conversations, accounts.length, { returning: 0.2, anonymous: 0.2 }, deployment.prefix, 7);
    const faults = options.faults ?? ALL_FAULTS;
    const driveSeconds = options.conversations / options.ratePerSecond;
    const gapMs = (driveSeconds * 1000) / (faults.length + 1);
    log(`driving ${options.conversations} conversations at ${options.ratePerSecond}/s; a fault every ${round(gapMs / 1000)} s`);

    let finished = 0;
    const driving = drive(plan, { ingestionUrl: deployment.cluster.url('ingestion'), accounts }, {
      concurrency: Math.max(8, options.ratePerSecond * 4), ratePerSecond: options.ratePerSecond, retryForMs: 120_000,
      onDone: () => { finished += 1; },
    });
    const done: string[] = [];
    const injecting = (async () => {
      for (const fault of faults) {
        await sleep(gapMs);
        const t = Date.now();
        await inject(deployment, fault);
        done.push(`${describe(fault)}: back after ${round((Date.now() - t) / 1000)} s`);
        log(`${done[done.length - 1]} (${finished}/${options.conversations} conversations sent)`);
      }
    })();
    const [driven] = await Promise.all([driving, injecting]);
    log('all conversations sent and every fault injected; waiting for the pipeline to finish');
    await awaitDone(deployment, driven, log);
    await waitFor('the pipeline to be idle', async () => ((await pipelineIdle(deployment)) ? true : undefined), 120_000, 500);
    // Anything that would arrive twice (a redelivery, a second publish) has had its chance by now.
    await sleep(3000);
    const verdict = await verifyOutcome(deployment.db, driven, (account) => accounts[account]!.recipients);
    const deadLettered = await countDeadLetters(deployment);
    return {
      ...verdict, faults: done, unexpectedExits: [...deployment.cluster.unexpectedExits], deadLettered,
      seconds: round((Date.now() - started) / 1000),
    };
  } finally {
    await deployment.stop();
  }
}

async function inject(deployment: Deployment, fault: Fault): Promise<void> {
  if (fault.kind === 'service') {
    await deployment.cluster.restart(fault.service, 'SIGKILL');
  } else if (fault.kind === 'nats') {
    await deployment.nats!.restart('SIGKILL');
  } else {
    await deployment.postgres!.restart('immediate');
  }
}

async function awaitDone(deployment: Deployment, driven: DrivenConversation[], log: (line: string) => void): Promise<void> {
  let last = 0;
  await waitFor('every conversation to be done', async () => {
    const done = await completionTimes(deployment.db, driven);
    if (Date.now() - last > 10_000) {
      last = Date.now();
      log(`${done.size}/${driven.length} conversations done`);
    }
    return done.size >= driven.length ? true : undefined;
  }, 240_000, 1000).catch((error: Error) => log(`${error.message}: checking what there is`));
}

async function countDeadLetters(deployment: Deployment): Promise<number> {
  const info = await deployment.jsm.streams.info(`${deployment.prefix}_DLQ`).catch(() => undefined);
  return info?.state.messages ?? 0;
}
