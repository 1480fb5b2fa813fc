import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InboundEmail } from './inbound-email';

/** One conversation per email thread, found through In-Reply-To and References. */
@Injectable()
export class EmailThreads {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The thread's conversation key: that of the conversation holding any message this one refers to, else the
   * thread's root Message-ID (the first of References, else In-Reply-To, else its own).
   */
  async visitorKey(accountId: string, email: InboundEmail): Promise<string> {
    const referred = [...email.references, ...(email.inReplyTo ? [email.inReplyTo] : [])];
    if (referred.length > 0) {
      const [known] = await this.dataSource.query(
        `SELECT c.visitor_key FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.account_id = $1 AND m.channel = 'email' AND m.provider_message_id = ANY($2::text[]) AND c.detached_at IS NULL
         ORDER BY m.created_at LIMIT 1`, [accountId, referred]) as { visitor_key: string }[];
      if (known) return known.visitor_key;
    }
    return `thread:${email.references[0] ?? email.inReplyTo ?? email.messageId}`;
  }

  async isInboundAddress(address: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `SELECT 1 FROM channel_routes WHERE kind = 'email' AND lower(address) = lower($1) LIMIT 1`, [address]) as unknown[];
    return rows.length > 0;
  }
}
