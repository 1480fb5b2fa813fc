import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { PublicEndpoint } from '@leadline/platform';
import type { FastifyRequest } from 'fastify';
import { MessageRecorder } from '../conversations/message-recorder';
import { e164Of } from '../sms/twilio-sms';
import { SignedChannel } from '../webhooks/signed-channel';
import { CallTranscriptDto } from './call-transcript.dto';

@Controller('v1/voice')
export class VoiceController {
  constructor(private readonly channels: SignedChannel, private readonly recorder: MessageRecorder) {}

  /**
   * A call transcript (signed with X-Leadline-Signature by the voice channel's secret). Each turn is a message
   * keyed by call id and position, so a resent or growing transcript stores each turn exactly once.
   */
  @Post('transcripts')
  @PublicEndpoint()
  @HttpCode(202)
  async transcript(@Req() request: FastifyRequest, @Body() dto: CallTranscriptDto) {
    const { account, channel } = await this.channels.verify(request, 'voice', dto.to);
    const phone = e164Of(dto.from);
    const batch = await this.recorder.recordAll(dto.turns.map((turn, index) => ({
      accountId: account.accountId, channel: 'voice' as const, visitorKey: dto.callId, channelAddress: channel.address,
      identifiers: phone ? [{ kind: 'phone' as const, value: phone, verified: false }] : [],
      idleWindowSeconds: account.idleWindowSeconds,
      providerMessageId: `${dto.callId}:${index}`, author: turn.speaker === 'caller' ? 'visitor' as const : 'ai' as const,
      text: turn.text, sentAt: new Date(turn.at),
    })));
    return { conversationId: batch.conversationId, stored: batch.messageIds.length, duplicates: batch.duplicates };
  }
}
