import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationsConfig } from '../notifications.config';
import { NOTIFICATIONS_CONFIG } from '../notifications.tokens';
import type { EmailContent } from './email-content';

export interface OutgoingEmail extends EmailContent {
  /** The delivery id: it becomes the Message-ID, so a receiving system can recognise a repeat. */
  deliveryId: string;
  to: { name: string; address: string };
  /** The account's name and domain: from and reply-to are noreply@<domain>. */
  account: { name: string; domain: string };
}

/** Sends through SMTP (SMTP_URL) with nodemailer, over a small pool of connections. */
@Injectable()
export class EmailSender implements OnApplicationShutdown {
  private transporter: Transporter | undefined;

  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  async send(email: OutgoingEmail): Promise<void> {
    const noreply = `noreply@${email.account.domain}`;
    await this.transport().sendMail({
      from: { name: email.account.name, address: noreply },
      replyTo: noreply,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${email.deliveryId}@${email.account.domain}>`,
    });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }

  private transport(): Transporter {
    if (!this.config.SMTP_URL) throw new Error('SMTP_URL is not set: email deliveries cannot be sent');
    const timeout = this.config.SMTP_TIMEOUT_MS;
    this.transporter ??= createTransport({
      // As many connections as the worker sends mails at once: none waits in the pool beyond its lease.
      url: this.config.SMTP_URL, pool: true, maxConnections: this.config.DELIVERY_CONCURRENCY_PER_DESTINATION,
      connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
    } as Parameters<typeof createTransport>[0]);
    return this.transporter;
  }
}
