import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { AccountId } from '@leadline/platform';
import { ConversationsService } from './conversations.service';

export class ReplyDto {
  @IsIn(['ai', 'agent'])
  author!: 'ai' | 'agent';

  @ValidateIf((reply: ReplyDto) => reply.author === 'agent') @IsUUID()
  memberId?: string;

  @IsString() @Length(1, 200)
  clientMessageId!: string;

  @IsString() @Length(1, 10_000)
  text!: string;

  @IsOptional() @IsString()
  sentAt?: string;
}

@Controller('v1/conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get(':conversationId')
  detail(@AccountId() accountId: string, @Param('conversationId', ParseUUIDPipe) conversationId: string) {
    return this.conversations.detail(accountId, conversationId);
  }

  /** AI and agent replies, so transcripts are complete and "the member sent a message" is known. */
  @Post(':conversationId/replies')
  @HttpCode(202)
  async reply(
    @AccountId() accountId: string,
    @Param('conversationId', ParseUUIDPipe) conversationId: string,
    @Body() dto: ReplyDto,
  ) {
    const conversation = await this.conversations.findInAccount(accountId, conversationId);
    return this.conversations.record({
      accountId, channel: conversation.channel, visitorKey: conversation.visitorKey,
      identifiers: conversation.identifiers, providerMessageId: dto.clientMessageId, author: dto.author,
      memberId: dto.author === 'agent' ? dto.memberId ?? null : null, text: dto.text, sentAt: new Date(),
    });
  }
}
