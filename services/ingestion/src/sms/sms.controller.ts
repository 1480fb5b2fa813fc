import { Body, Controller, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { PublicEndpoint } from '@leadline/platform';
import type { FastifyRequest } from 'fastify';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { MessageRecorder } from '../conversations/message-recorder';
import { badSignature, invalidFields } from '../http/field-errors';
import { IngestionConfig } from '../ingestion.config';
import { publicRequestUrl, withBasicCredentials } from '../webhooks/webhook-url';
import { isValidTwilioSignature } from './twilio-signature';
import { e164Of, EMPTY_TWIML, parseTwilioSms, single, type TwilioForm } from './twilio-sms';

@Controller('v1/sms')
export class SmsController {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly recorder: MessageRecorder,
    private readonly config: IngestionConfig,
  ) {}

  /**
   * Twilio's inbound-message webhook (form-encoded). `To` picks the account (404 when no account has it), the
   * signature is checked with that channel's auth token (403), then the fields (400). Answered with empty TwiML:
   * replies go out through the AI or an agent, not in this answer.
   */
  @Post('twilio')
  @PublicEndpoint()
  @HttpCode(200)
  @Header('content-type', 'text/xml; charset=utf-8')
  async inbound(@Req() request: FastifyRequest, @Body() body: unknown, @Headers('x-twilio-signature') signature?: string) {
    const form = formOf(request, body);
    const to = single(form, 'To');
    if (!to) throw invalidFields([{ field: 'To', reason: 'is required: the account\'s number the message was sent to' }]);
    const { account, channel } = await this.accounts.route('sms', to);
    if (!channel.authToken) throw badSignature(`the SMS channel ${to} has no Twilio auth token: set it in the account's channels`);
    if (!this.isSignedByTwilio(request, channel.authToken, signature, form)) {
      throw badSignature('X-Twilio-Signature does not match: check the auth token and PUBLIC_WEBHOOK_URL (the URL Twilio calls)');
    }
    const parsed = parseTwilioSms(form);
    if ('problems' in parsed) throw invalidFields(parsed.problems);
    const { sms } = parsed;
    const phone = e164Of(sms.from);
    await this.recorder.record({
      accountId: account.accountId, channel: 'sms', visitorKey: sms.from, channelAddress: channel.address,
      identifiers: phone ? [{ kind: 'phone', value: phone, verified: false }] : [],
      idleWindowSeconds: account.idleWindowSeconds, providerMessageId: sms.messageSid, author: 'visitor',
      text: sms.body, sentAt: new Date(), attachments: sms.media,
    });
    return EMPTY_TWIML;
  }

  /** Signed over the URL Twilio called: as the service sees it, or with the Basic credentials it came with. */
  private isSignedByTwilio(request: FastifyRequest, authToken: string, signature: string | undefined, form: TwilioForm): boolean {
    const url = publicRequestUrl(request, this.config.PUBLIC_WEBHOOK_URL);
    const withCredentials = withBasicCredentials(url, request.headers.authorization);
    return [url, ...(withCredentials ? [withCredentials] : [])]
      .some((candidate) => isValidTwilioSignature(authToken, signature, candidate, form));
  }
}

function formOf(request: FastifyRequest, body: unknown): TwilioForm {
  if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') && body && typeof body === 'object') {
    return body as TwilioForm;
  }
  throw invalidFields([{ field: 'body', reason: 'must be application/x-www-form-urlencoded, as Twilio posts it' }]);
}
