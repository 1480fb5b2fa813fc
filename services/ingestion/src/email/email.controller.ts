import { Body, Controller, HttpCode, NotFoundException, Post, Req } from '@nestjs/common';
import { PublicEndpoint } from '@leadline/platform';
import type { FastifyRequest } from 'fastify';
import { MessageRecorder } from '../conversations/message-recorder';
import { BodyLimit } from '../http/body-parsers';
import { invalidFields } from '../http/field-errors';
import { SignedChannel } from '../webhooks/signed-channel';
import { EmailThreads } from './email-threads';
import { parseInboundJson, parseRawEmail, type InboundEmail, type Parsed } from './inbound-email';
import { splitReply } from './reply-text';

/**
 * A mail of 10 MB with its attachments, in either form: Postmark's JSON carries attachments base64-encoded (4/3 the
 * size). Every other endpoint keeps the 1 MB default.
 */
export const EMAIL_BODY_LIMIT_BYTES = 14 * 1024 * 1024;

@Controller('v1/email')
export class EmailController {
  constructor(
    private readonly channels: SignedChannel,
    private readonly threads: EmailThreads,
    private readonly recorder: MessageRecorder,
  ) {}

  /**
   * Inbound mail: raw RFC 822 (`Content-Type: message/rfc822`) or Postmark's inbound JSON, up to 14 MB. The
   * recipient picks the account's email channel (404 if none); signed with X-Leadline-Signature by the channel's
   * secret, or Basic auth with it as password (403). One conversation per thread; a repeated Message-ID is ignored.
   */
  @Post('inbound')
  @PublicEndpoint()
  @BodyLimit(EMAIL_BODY_LIMIT_BYTES)
  @HttpCode(202)
  async inbound(@Req() request: FastifyRequest, @Body() body: unknown) {
    const parsed = await parse(request, body);
    if ('problems' in parsed) throw invalidFields(parsed.problems);
    const { email } = parsed;
    const { account, channel } = await this.channels.verify(request, 'email', await this.recipient(email), { basicAuth: true });
    const parts = splitReply(email.text);
    const visitorKey = await this.threads.visitorKey(account.accountId, email);
    return this.recorder.record({
      accountId: account.accountId, channel: 'email', visitorKey, channelAddress: channel.address,
      identifiers: [{ kind: 'email', value: email.from, verified: true }],
      idleWindowSeconds: account.idleWindowSeconds, providerMessageId: email.messageId, author: 'visitor',
      text: parts.newText, quotedText: parts.quotedText, signatureText: parts.signatureText, subject: email.subject,
      attachments: email.attachments, sentAt: email.sentAt ?? new Date(),
    });
  }

  /** The first recipient that is some account's inbound address. */
  private async recipient(email: InboundEmail): Promise<string> {
    for (const address of email.recipients) {
      if (await this.threads.isInboundAddress(address)) return address;
    }
    throw new NotFoundException(`no account has the inbound email address ${email.recipients.join(', ')}`);
  }
}

async function parse(request: FastifyRequest, body: unknown): Promise<Parsed> {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('message/rfc822') && Buffer.isBuffer(body)) return parseRawEmail(body);
  if (type.startsWith('application/json')) return parseInboundJson(body);
  return { problems: [{ field: 'body', reason: 'must be message/rfc822 (a raw email) or application/json (Postmark inbound)' }] };
}

