import { parseArgs } from 'node:util';
import { listDeadLetters, replayDeadLetters } from './dlq.command';
import { openOperatorContext, operatorEnv, UsageError, type OperatorContext } from './operator-connection';
import { listConsumers, listStreams } from './streams.command';
import { formatTable } from './table';
import { conversationTrail } from './trail.command';

export const USAGE = `leadline: look after a Leadline deployment's event streams

  leadline streams                       streams with their messages and consumers
  leadline consumers [--stream NAME]     durable consumers with their lag (pending) and unacked events
  leadline dlq list [--consumer NAME]    dead-lettered events, why and where from
  leadline dlq replay --id ID [--id ID]  publish events again to their original subject (ID: DLQ seq or event id)
  leadline dlq replay --all [--consumer NAME]
  leadline trail <conversationId>        every event of one conversation across streams, in order

  --json   machine-readable output
Environment: NATS_URL (required), NATS_SUBJECT_PREFIX (as the services have it), NATS_USER / NATS_PASSWORD
(the "admin" user when NATS requires credentials, deploy/nats/).
`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs one command; returns the exit code (0 done, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  if (!command || parsed.values.help) {
    io.out(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  let connection: Awaited<ReturnType<typeof openOperatorContext>> | undefined;
  try {
    connection = await openOperatorContext(operatorEnv(io.env));
    const output = await dispatch(connection.context, command, rest, parsed.values);
    io.out(parsed.values.json ? `${JSON.stringify(output.data, null, 2)}\n` : output.text);
    return 0;
  } catch (error) {
    io.err(`leadline ${command}: ${(error as Error).message}\n${error instanceof UsageError ? `\n${USAGE}` : ''}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await connection?.nc.drain().catch(() => undefined);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      stream: { type: 'string' },
      consumer: { type: 'string' },
      id: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
    },
  });
}

type Values = ReturnType<typeof parse>['values'];

async function dispatch(context: OperatorContext, command: string, args: string[], values: Values): Promise<{ data: unknown; text: string }> {
  switch (command) {
    case 'streams': {
      const rows = await listStreams(context);
      return { data: rows, text: formatTable(rows, [
        { header: 'STREAM', value: (r) => r.stream }, { header: 'MESSAGES', value: (r) => r.messages },
        { header: 'BYTES', value: (r) => r.bytes }, { header: 'FIRST', value: (r) => r.firstSeq },
        { header: 'LAST', value: (r) => r.lastSeq }, { header: 'CONSUMERS', value: (r) => r.consumers },
        { header: 'SUBJECTS', value: (r) => r.subjects },
      ]) };
    }
    case 'consumers': {
      const rows = await listConsumers(context, values.stream);
      return { data: rows, text: formatTable(rows, [
        { header: 'STREAM', value: (r) => r.stream }, { header: 'CONSUMER', value: (r) => r.consumer },
        { header: 'LAG', value: (r) => r.pending }, { header: 'UNACKED', value: (r) => r.ackPending },
        { header: 'REDELIVERED', value: (r) => r.redelivered }, { header: 'LAST SEQ', value: (r) => r.lastDelivered },
      ]) };
    }
    case 'dlq':
      return dlq(context, args, values);
    case 'trail': {
      const conversationId = args[0];
      if (!conversationId) throw new UsageError('trail needs a conversation id');
      const events = await conversationTrail(context, conversationId);
      return { data: events, text: formatTable(events, [
        { header: 'TIME', value: (e) => e.time }, { header: 'TYPE', value: (e) => e.type },
        { header: 'STREAM:SEQ', value: (e) => `${e.stream}:${e.seq}` }, { header: 'EVENT', value: (e) => e.eventId },
        { header: 'TRACE', value: (e) => e.traceId ?? '' },
        { header: 'NOTE', value: (e) => [
          ...Object.entries(e.refs).map(([key, value]) => `${key}=${value}`),
          ...(e.deadLettered ? [`DEAD-LETTERED by ${e.deadLettered.consumer}: ${e.deadLettered.error}`] : []),
        ].join(' ') },
      ]) };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function dlq(context: OperatorContext, args: string[], values: Values): Promise<{ data: unknown; text: string }> {
  const consumer = values.consumer ? { consumer: values.consumer } : {};
  if (args[0] === 'list') {
    const entries = await listDeadLetters(context, consumer);
    return { data: entries, text: formatTable(entries, [
      { header: 'SEQ', value: (e) => e.seq }, { header: 'WHEN', value: (e) => e.deadLetteredAt ?? '' },
      { header: 'CONSUMER', value: (e) => e.consumer }, { header: 'TYPE', value: (e) => e.type ?? '' },
      { header: 'EVENT', value: (e) => e.eventId ?? '' }, { header: 'TRIES', value: (e) => e.deliveries },
      { header: 'FROM', value: (e) => `${e.stream}:${e.streamSeq}` }, { header: 'ERROR', value: (e) => e.error },
    ]) };
  }
  if (args[0] === 'replay') {
    const results = await replayDeadLetters(context, { ...consumer, all: values.all, ids: values.id ?? [] });
    return { data: results, text: results.length === 0 ? 'nothing to replay\n'
      : results.map((r) => `replayed DLQ ${r.seq} (event ${r.eventId ?? '?'}) to ${r.subject} as sequence ${r.republishedSeq}\n`).join('') };
  }
  throw new UsageError(`dlq needs "list" or "replay"${args[0] ? `, not "${args[0]}"` : ''}`);
}
