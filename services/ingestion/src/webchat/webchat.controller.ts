import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import type { AccountUpdated, IdentifierDto } from '@leadline/contracts';
import { PublicEndpoint, WebchatRateLimit } from '@leadline/platform';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { MessageRecorder } from '../conversations/message-recorder';
import { badSignature } from '../http/field-errors';
import { isValidIdentityToken } from './identity-token';
import { SESSION_HEADER, VisitorSessions } from './visitor-sessions';
import { WebchatMessageDto, WebchatSessionDto, type WebchatIdentityDto } from './webchat-message.dto';

/** The web chat widget's API: no Leadline credential, the widget key names the account. */
@Controller('v1/webchat')
export class WebchatController {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly recorder: MessageRecorder,
    private readonly sessions: VisitorSessions,
  ) {}

  /** A visitor's message from the web chat widget. */
  @Post('messages')
  @PublicEndpoint()
  @WebchatRateLimit()
  @HttpCode(202)
  async message(@Body() dto: WebchatMessageDto) {
    const { account, channel } = await this.accounts.route('webchat', dto.widgetKey);
    const externalUser = verifiedExternalUser(account, dto);
    const identifiers: IdentifierDto[] = [{ kind: 'device', value: dto.deviceId, verified: false }];
    if (externalUser) identifiers.push({ kind: 'external_user', value: externalUser, verified: true });
    return this.recorder.record({
      accountId: account.accountId,
      channel: 'webchat',
      visitorKey: dto.deviceId,
      channelAddress: channel.address,
      identifiers,
      idleWindowSeconds: account.idleWindowSeconds,
      providerMessageId: `${dto.deviceId}:${dto.clientMessageId}`,
      author: 'visitor',
      text: dto.text,
      sentAt: new Date(),
    });
  }

  /** Starts the widget's session for a device; its token reads that device's conversation only. */
  @Post('sessions')
  @PublicEndpoint()
  @WebchatRateLimit()
  @HttpCode(201)
  async startSession(@Body() dto: WebchatSessionDto) {
    const { account } = await this.accounts.route('webchat', dto.widgetKey);
    const externalUser = verifiedExternalUser(account, dto);
    const session = await this.sessions.start(account.accountId, dto.widgetKey, dto.deviceId, externalUser);
    return { ...session, header: SESSION_HEADER, externalUserVerified: externalUser !== null };
  }

  /** The session's own conversation, as the widget shows it. */
  @Get('conversation')
  @PublicEndpoint()
  @WebchatRateLimit({ deviceHeader: SESSION_HEADER })
  async conversation(@Headers(SESSION_HEADER) token?: string) {
    return this.sessions.transcript(await this.sessions.authenticate(token));
  }

  /** The widget's shutdown (the business's logout): the device's sessions end and its conversation is let go. */
  @Post('shutdown')
  @PublicEndpoint()
  @WebchatRateLimit({ deviceHeader: SESSION_HEADER })
  @HttpCode(200)
  async shutdown(@Headers(SESSION_HEADER) token?: string) {
    return this.sessions.shutdown(await this.sessions.authenticate(token));
  }
}

/** The business's user id when its identity token verifies; 403 when a token is given and does not. */
function verifiedExternalUser(account: AccountUpdated, dto: WebchatIdentityDto): string | null {
  if (dto.userId === undefined || dto.identityToken === undefined) return null;
  if (!isValidIdentityToken(account.identitySecret, dto.userId, dto.identityToken)) {
    throw badSignature('identityToken does not match userId: sign the user id with the account\'s identity secret (HMAC-SHA256, hex)');
  }
  return dto.userId;
}
