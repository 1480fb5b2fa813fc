import { ConversationClosedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { IngestionConfig } from '../ingestion.config';
import { ConversationEventRecord } from './conversation-event.entity';
import { Conversation } from './conversation.entity';
import { Message } from './message.entity';

export interface RelatedConversation {
  conversationId: string;
  /** `original`: the contact's first conversation this one duplicates; `duplicate`: a later one linked here. */
  relation: 'original' | 'duplicate';
  channel: string;
  status: string;
  lastActivityAt: Date;
  conversationUrl: string;
}

@Injectable()
export class ConversationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly unitOfWork: UnitOfWork,
    private readonly outbox: Outbox,
    private readonly config: IngestionConfig,
  ) {}

  async findInAccount(accountId: string, conversationId: string, manager: EntityManager = this.dataSource.manager): Promise<Conversation> {
    const conversation = await manager.findOneBy(Conversation, { id: conversationId, accountId });
    if (!conversation) throw new NotFoundException(`conversation ${conversationId} not found in this account`);
    return conversation;
  }

  /** A conversation with its messages and events in order, and links to its original or duplicates. */
  async detail(accountId: string, conversationId: string) {
    const manager = this.dataSource.manager;
    const conversation = await this.findInAccount(accountId, conversationId);
    const messages = await manager.find(Message, { where: { conversationId, accountId }, order: { createdAt: 'ASC', id: 'ASC' } });
    const events = await manager.find(ConversationEventRecord, {
      where: { conversationId, accountId }, order: { createdAt: 'ASC', id: 'ASC' },
    });
    return { ...conversation, messages, events, related: await this.related(conversation) };
  }

  /** Closes a conversation; a later visitor message reopens it. Closing a closed one changes nothing. */
  async close(accountId: string, conversationId: string, reason: string, memberId: string | undefined): Promise<Conversation> {
    return this.unitOfWork.run(async (tx) => {
      const rows = await tx.query(
        `UPDATE conversations SET status = 'closed', closed_at = now() WHERE id = $1 AND account_id = $2 AND status = 'open'
         RETURNING closed_at`, [conversationId, accountId]) as [{ closed_at: Date }[], number];
      const closed = rows[0][0];
      if (closed) {
        await tx.insert(ConversationEventRecord, {
          id: uuidv7(), accountId, conversationId, kind: 'closed', data: { reason, ...(memberId ? { memberId } : {}) },
          createdAt: closed.closed_at,
        });
        await this.outbox.add(tx, ConversationClosedEvent, {
          accountId, conversationId, reason, closedAt: closed.closed_at.toISOString(),
        }, conversationId);
      }
      return this.findInAccount(accountId, conversationId, tx);
    });
  }

  private async related(conversation: Conversation): Promise<RelatedConversation[]> {
    const manager = this.dataSource.manager;
    const duplicates = await manager.find(Conversation, {
      where: { accountId: conversation.accountId, originalConversationId: conversation.id }, order: { createdAt: 'ASC' },
    });
    const original = conversation.originalConversationId
      ? await manager.find(Conversation, { where: { accountId: conversation.accountId, id: In([conversation.originalConversationId]) } })
      : [];
    return [
      ...original.map((c) => this.link(c, 'original')),
      ...duplicates.map((c) => this.link(c, 'duplicate')),
    ];
  }

  private link(conversation: Conversation, relation: RelatedConversation['relation']): RelatedConversation {
    return {
      conversationId: conversation.id, relation, channel: conversation.channel, status: conversation.status,
      lastActivityAt: conversation.lastActivityAt,
      conversationUrl: `${this.config.PUBLIC_APP_URL.replace(/\/$/, '')}/conversations/${conversation.id}`,
    };
  }
}
