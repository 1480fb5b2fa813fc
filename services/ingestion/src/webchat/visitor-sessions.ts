import { ConversationClosedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ConversationEventRecord } from '../conversations/conversation-event.entity';
import { IngestionConfig } from '../ingestion.config';
import { VisitorSession } from './visitor-session.entity';

export const SESSION_HEADER = 'x-visitor-session';

export interface StartedSession {
  sessionToken: string;
  expiresAt: Date;
}

export interface VisitorTranscript {
  conversationId: string | null;
  messages: { messageId: string; author: string; text: string; sentAt: Date }[];
}

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

@Injectable()
export class VisitorSessions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly config: IngestionConfig,
  ) {}

  async start(accountId: string, widgetKey: string, deviceId: string, externalUserId: string | null): Promise<StartedSession> {
    const sessionToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.WEBCHAT_SESSION_TTL_HOURS * 3_600_000);
    await this.dataSource.manager.insert(VisitorSession, {
      id: uuidv7(), accountId, widgetKey, deviceId, tokenHash: hash(sessionToken), externalUserId,
      createdAt: new Date(), expiresAt, endedAt: null,
    });
    return { sessionToken, expiresAt };
  }

  /** The live session behind a token; 401 when it is missing, unknown, ended or expired. */
  async authenticate(token: string | undefined): Promise<VisitorSession> {
    const session = token ? await this.dataSource.manager.findOneBy(VisitorSession, { tokenHash: hash(token) }) : null;
    if (!session || session.endedAt || session.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedException(`${SESSION_HEADER}: no live visitor session; start one with POST /v1/webchat/sessions`);
    }
    return session;
  }

  /** Only the session's own device's current conversation, as the widget shows it. */
  async transcript(session: VisitorSession): Promise<VisitorTranscript> {
    const [conversation] = await this.dataSource.query(
      `SELECT id FROM conversations WHERE account_id = $1 AND channel = 'webchat' AND visitor_key = $2 AND detached_at IS NULL`,
      [session.accountId, session.deviceId]) as { id: string }[];
    if (!conversation) return { conversationId: null, messages: [] };
    const rows = await this.dataSource.query(
      `SELECT id, author, text, sent_at FROM messages WHERE conversation_id = $1 AND account_id = $2 ORDER BY created_at, id`,
      [conversation.id, session.accountId]) as { id: string; author: string; text: string; sent_at: Date }[];
    return {
      conversationId: conversation.id,
      messages: rows.map((row) => ({ messageId: row.id, author: row.author, text: row.text, sentAt: row.sent_at })),
    };
  }

  /**
   * The widget's shutdown (the business's user logged out): ends every session of the device and lets go of its
   * conversation (closed, and no longer reached by this device id), so whoever uses the browser next starts a new
   * one and sees nothing of it. The conversation keeps its idle deadline: what was said is still processed.
   */
  async shutdown(session: VisitorSession): Promise<{ endedSessions: number; closedConversationId: string | null }> {
    return this.unitOfWork.run(async (tx) => {
      const [, endedSessions] = await tx.query(
        `UPDATE visitor_sessions SET ended_at = now() WHERE account_id = $1 AND device_id = $2 AND ended_at IS NULL RETURNING id`,
        [session.accountId, session.deviceId]) as [unknown[], number];
      const [rows] = await tx.query(
        `UPDATE conversations SET detached_at = now(), status = 'closed', closed_at = coalesce(closed_at, now())
         WHERE account_id = $1 AND channel = 'webchat' AND visitor_key = $2 AND detached_at IS NULL
         RETURNING id, (SELECT status FROM conversations c WHERE c.id = conversations.id) AS previous_status`,
        [session.accountId, session.deviceId]) as [{ id: string; previous_status: string }[], number];
      const closed = rows[0];
      if (closed?.previous_status === 'open') {
        const reason = 'the web chat widget was shut down (visitor logged out)';
        await tx.insert(ConversationEventRecord, {
          id: uuidv7(), accountId: session.accountId, conversationId: closed.id, kind: 'closed', data: { reason }, createdAt: new Date(),
        });
        await this.outbox.add(tx, ConversationClosedEvent, {
          accountId: session.accountId, conversationId: closed.id, reason, closedAt: new Date().toISOString(),
        }, closed.id);
      }
      return { endedSessions, closedConversationId: closed?.id ?? null };
    });
  }
}
