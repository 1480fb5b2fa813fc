import type { MessagingOptions, OutboxRelay } from '@leadline/messaging';
import type { DataSource } from 'typeorm';
import type { IngestionConfig } from '../ingestion.config';
import { GroupCommitWriter, type BatchRow, type BatchStatement, type QueuedMessage } from './group-commit-writer';

/** A statement that stores every message it is given; the fake pool records each batch it receives. */
const STORE: BatchStatement<QueuedMessage> = {
  text: 'SELECT stored messages',
  values: (batch) => [batch.map((m) => m.messageId)],
};

function writerWithFakePool(refuses: (id: string) => boolean = () => false): { writer: GroupCommitWriter; batches: string[][] } {
  const batches: string[][] = [];
  const pool = {
    query: async ({ values }: { values: [string[]] }) => {
      const ids = values[0];
      batches.push(ids);
      // A statement is all or nothing: one message it cannot store fails the whole batch.
      if (ids.some(refuses)) throw new Error(`value too long for message ${ids.find(refuses)}`);
      const rows: BatchRow[] = ids.map((id, i) => ({
        n: i + 1, stored_conversation_id: `conversation-of-${id}`, existing_message_id: null, existing_conversation_id: null,
      }));
      return { rows };
    },
  };
  const dataSource = { manager: { queryRunner: undefined, connection: { driver: { master: pool } } } } as unknown as DataSource;
  const relay = { kick: () => undefined } as unknown as OutboxRelay;
  const messaging = { subjectPrefix: 'test', serviceName: 'ingestion' } as MessagingOptions;
  const writer = new GroupCommitWriter(dataSource, relay, messaging, { DB_POOL_SIZE: 10 } as IngestionConfig);
  return { writer, batches };
}

const message = (id: string): QueuedMessage => ({ messageId: id, providerMessageId: `provider-${id}` });

describe('GroupCommitWriter', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes a lone message at once, alone, and answers it after its statement', async () => {
    const { writer, batches } = writerWithFakePool();
    const written = writer.write(STORE, message('m1'));
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([['m1']]);
    await expect(written).resolves.toEqual({ conversationId: 'conversation-of-m1', messageId: 'm1', duplicate: false });
  });

  it('writes a burst read in one turn as one batch without waiting', async () => {
    const { writer, batches } = writerWithFakePool();
    const answers = Array.from({ length: 20 }, (_, i) => writer.write(STORE, message(`m${i}`)));
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([Array.from({ length: 20 }, (_, i) => `m${i}`)]);
    await Promise.all(answers);
  });

  it('writes the messages of a failed batch one by one, so only the bad one fails', async () => {
    const { writer, batches } = writerWithFakePool((id) => id === 'bad');
    const answers = ['m1', 'bad', 'm2'].map((id) => writer.write(STORE, message(id)).then(
      (recorded) => ({ stored: recorded.messageId }), (error: Error) => ({ failed: error.message })));
    await jest.advanceTimersByTimeAsync(0);
    await expect(Promise.all(answers)).resolves.toEqual([
      { stored: 'm1' }, { failed: 'value too long for message bad' }, { stored: 'm2' },
    ]);
    expect(batches).toEqual([['m1', 'bad', 'm2'], ['m1'], ['bad'], ['m2']]);
  });
});
