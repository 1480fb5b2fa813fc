import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AccountDirectory } from '../account-directory/account-directory.service';
import { ConversationsService } from '../conversations/conversations.service';
import { WebchatMessageDto } from './webchat-message.dto';

@Controller('v1/webchat')
export class WebchatController {
  constructor(private readonly accounts: AccountDirectory, private readonly conversations: ConversationsService) {}

  /** A visitor's message from the web chat widget. */
  @Post('messages')
  @HttpCode(202)
  async message(@Body() dto: WebchatMessageDto) {
    const { account } = await this.accounts.route('webchat', dto.widgetKey);
    return this.conversations.record({
      accountId: account.accountId,
      channel: 'webchat',
      visitorKey: dto.deviceId,
      identifiers: [{ kind: 'device', value: dto.deviceId, verified: false }],
      providerMessageId: `${dto.deviceId}:${dto.clientMessageId}`,
      author: 'visitor',
      text: dto.text,
      sentAt: new Date(),
    });
  }
}
