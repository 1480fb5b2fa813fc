import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { SubjectNaming } from '@leadline/messaging';

/** What every command works with: JetStream and the deployment's subject and stream names. */
export interface OperatorContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
  naming: SubjectNaming;
  prefix: string;
}

export interface OperatorEnv {
  natsUrl: string;
  subjectPrefix: string;
  /** With NATS authentication on (deploy/nats/): the operators' `admin` user. */
  user?: string;
  password?: string;
}

/** NATS_URL (required), NATS_SUBJECT_PREFIX, NATS_USER / NATS_PASSWORD: the variables the services read. */
export function operatorEnv(env: NodeJS.ProcessEnv = process.env): OperatorEnv {
  const natsUrl = env['NATS_URL'];
  if (!natsUrl) throw new UsageError('NATS_URL is not set: export NATS_URL=nats://host:4222 (the services\' value)');
  return {
    natsUrl, subjectPrefix: env['NATS_SUBJECT_PREFIX'] ?? '',
    ...(env['NATS_USER'] ? { user: env['NATS_USER'], password: env['NATS_PASSWORD'] ?? '' } : {}),
  };
}

export async function openOperatorContext(env: OperatorEnv): Promise<{ context: OperatorContext; nc: NatsConnection }> {
  const naming = new SubjectNaming(env.subjectPrefix);
  const nc = await connect({
    servers: env.natsUrl.split(',').map((url) => url.trim()), name: 'leadline-cli',
    ...(env.user ? { user: env.user, pass: env.password ?? '' } : {}),
  });
  return { nc, context: { js: jetstream(nc), jsm: await jetstreamManager(nc), naming, prefix: env.subjectPrefix } };
}

/** A mistake of the operator's: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
