import {
  ApiKeyIssuedEvent, ApiKeyRevokedEvent, MemberRemovedEvent, MemberUpsertedEvent, type ApiKeyIssued, type ApiKeyRevoked,
  type MemberRemoved, type MemberUpserted,
} from '@leadline/contracts';
import {
  JETSTREAM_CLIENT, JETSTREAM_MANAGER, MESSAGING_OPTIONS, SubjectNaming, type MessagingOptions,
} from '@leadline/messaging';
import { DeliverPolicy, JetStreamApiError, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';

export interface ApiKeyEntry {
  accountId: string;
  apiKeyId: string;
  revoked: boolean;
}

export interface MemberEntry {
  accountId: string;
  role: 'admin' | 'agent';
  active: boolean;
}

const RETRY_MS = 1000;
const STREAM_NOT_FOUND = 10059;

/**
 * What a service needs to check credentials without calling accounts: the SHA-256 of every API key (and
 * whether it is revoked) and every member's current role and whether they are still active. It is fed by an
 * ordered consumer that reads the ACCOUNTS stream from its first event at start-up and then follows it, so a
 * revocation reaches every service within the time NATS takes to deliver one message. Ordered consumers are
 * ephemeral and keep no server state per replica; the stream keeps every event (no age limit), which is what
 * lets a new replica rebuild the directory.
 */
@Injectable()
export class CredentialDirectory implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CredentialDirectory');
  private readonly keys = new Map<string, ApiKeyEntry>();
  private readonly members = new Map<string, MemberEntry>();
  private readonly naming: SubjectNaming;
  private messages: ConsumerMessages | undefined;
  private stopped = false;
  private caughtUp = false;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingOptions,
    @Inject(JETSTREAM_CLIENT) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
  ) {
    this.naming = new SubjectNaming(options.subjectPrefix);
  }

  /** Ready once it has read every account event that existed when it started. */
  isReady(): boolean {
    return this.caughtUp;
  }

  apiKey(keyHash: string): ApiKeyEntry | undefined {
    return this.keys.get(keyHash);
  }

  member(memberId: string): MemberEntry | undefined {
    return this.members.get(memberId);
  }

  /**
   * Whether a member id a request names (an agent's reply, an assignee) is an active member of the account:
   * an id of another account's member is no better than an unknown one. One created a moment ago may be missed
   * for the time its event takes to arrive.
   */
  isActiveMember(accountId: string, memberId: string): boolean {
    const member = this.members.get(memberId);
    return member !== undefined && member.active && member.accountId === accountId;
  }

  onApplicationBootstrap(): void {
    void this.follow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
  }

  /** Reads the stream for as long as the service runs, starting over (from the first event) after a failure. */
  private async follow(): Promise<void> {
    const stream = this.naming.stream('ACCOUNTS');
    while (!this.stopped) {
      try {
        await this.readOnce(stream);
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn(`reading ${stream} failed, retrying: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  private async readOnce(stream: string): Promise<void> {
    const lastSeq = await this.jsm.streams.info(stream).then((info) => info.state.last_seq, (error: unknown) => {
      // No stream yet: accounts has not started; there are no keys or members to know of.
      if (error instanceof JetStreamApiError && error.code === STREAM_NOT_FOUND) return undefined;
      throw error;
    });
    if (lastSeq === undefined) {
      this.caughtUp = true;
      return;
    }
    if (lastSeq === 0) this.caughtUp = true;
    const consumer = await this.js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
    this.messages = await consumer.consume();
    for await (const msg of this.messages) {
      this.apply(msg);
      if (msg.seq >= lastSeq) this.caughtUp = true;
    }
  }

  private apply(msg: JsMsg): void {
    const type = this.naming.unprefixed(msg.subject);
    let data: unknown;
    try {
      data = msg.json();
    } catch {
      return;
    }
    if (type === ApiKeyIssuedEvent.subject) {
      const event = data as ApiKeyIssued;
      const existing = this.keys.get(event.keyHash);
      this.keys.set(event.keyHash, { accountId: event.accountId, apiKeyId: event.apiKeyId, revoked: existing?.revoked ?? false });
    } else if (type === ApiKeyRevokedEvent.subject) {
      const event = data as ApiKeyRevoked;
      this.keys.set(event.keyHash, { accountId: event.accountId, apiKeyId: event.apiKeyId, revoked: true });
    } else if (type === MemberUpsertedEvent.subject) {
      const event = data as MemberUpserted;
      this.members.set(event.memberId, { accountId: event.accountId, role: event.role, active: event.active });
    } else if (type === MemberRemovedEvent.subject) {
      const event = data as MemberRemoved;
      const existing = this.members.get(event.memberId);
      this.members.set(event.memberId, { accountId: event.accountId, role: existing?.role ?? 'agent', active: false });
    }
  }
}
