import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { NO_NUL } from '../webchat/webchat-message.dto';
import { AccountId, CredentialDirectory, CurrentActor, type Actor } from '@leadline/platform';
import { ConversationsService } from './conversations.service';
import { CloseConversationDto, InboxQueryDto } from './inbox.dto';
import { Inbox } from './inbox';
import { MessageRecorder } from './message-recorder';

export class ReplyDto {
  @IsIn(['ai', 'agent'])
  author!: 'ai' | 'agent';

  @ValidateIf((reply: ReplyDto) => reply.author === 'agent') @IsUUID()
  memberId?: string;

  @IsString() @Length(1, 200)
  clientMessageId!: string;

  @IsString() @Length(1, 10_000) @Matches(NO_NUL, { message: 'text must not contain NUL characters' })
  text!: string;

  @IsOptional() @IsISO8601()
  sentAt?: string;
}

@Controller('v1/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly recorder: MessageRecorder,
    private readonly inbox: Inbox,
    private readonly credentials: CredentialDirectory,
  ) {}

  /** The inbox: `section=anonymous`, `contactId`, `status`, `channel`; newest activity first; `cursor` pages on. */
  @Get()
  list(@AccountId() accountId: string, @Query() query: InboxQueryDto) {
    return this.inbox.list(accountId, query);
  }

  @Get(':conversationId')
  detail(@AccountId() accountId: string, @Param('conversationId', ParseUUIDPipe) conversationId: string) {
    return this.conversations.detail(accountId, conversationId);
  }

  @Post(':conversationId/close')
  @HttpCode(200)
  close(
    @CurrentActor() actor: Actor,
    @Param('conversationId', ParseUUIDPipe) conversationId: string,
    @Body() dto: CloseConversationDto,
  ) {
    return this.conversations.close(actor.accountId, conversationId, dto.reason ?? 'closed by a member', actor.memberId);
  }

  /** AI and agent replies, so transcripts are complete and "the member sent a message" is known. */
  @Post(':conversationId/replies')
  @HttpCode(202)
  async reply(
    @CurrentActor() actor: Actor,
    @Param('conversationId', ParseUUIDPipe) conversationId: string,
    @Body() dto: ReplyDto,
  ) {
    const { accountId } = actor;
    if (dto.author === 'agent') this.checkAuthor(actor, dto.memberId!);
    return this.recorder.recordReply({
      accountId, conversationId, providerMessageId: `reply:${conversationId}:${dto.clientMessageId}`, author: dto.author,
      memberId: dto.author === 'agent' ? dto.memberId ?? null : null, text: dto.text,
      sentAt: dto.sentAt ? new Date(dto.sentAt) : new Date(),
    });
  }

  /**
   * The agent a reply is from is an active member of this account (another account's member id is refused as an
   * unknown one: it would make them follow this conversation), and an agent replies only as themself.
   */
  private checkAuthor(actor: Actor, memberId: string): void {
    if (!this.credentials.isActiveMember(actor.accountId, memberId)) {
      throw new BadRequestException({
        statusCode: 400, error: 'Bad Request', message: `memberId: ${memberId} is not an active member of this account`,
        fields: [{ field: 'memberId', reason: 'is not an active member of this account' }],
      });
    }
    if (actor.kind === 'member' && actor.role === 'agent' && actor.memberId !== memberId) {
      throw new ForbiddenException('an agent replies only as themself: memberId must be your own');
    }
  }
}
