import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiLeadId } from '../openapi/api-responses';
import { BroadcastDeliveryDto, BroadcastDeliveryView, NoteDto, TimelineEntryView } from './timeline.dto';
import { TimelineService } from './timeline.service';

@ApiTags('timeline')
@Controller('v1')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get('leads/:leadId/timeline')
  @ApiLeadId()
  @ApiOperation({ summary: 'The lead\'s timeline: created, status changes, assignments, scores, follow-ups, notes, conversations, past leads, broadcasts' })
  @ApiAnswers(200, [TimelineEntryView], 'Oldest first', { notFound: 'No such lead in the account' })
  ofLead(@AccountId() accountId: string, @Param('leadId', ParseUUIDPipe) leadId: string): Promise<TimelineEntryView[]> {
    return this.timeline.ofLead(accountId, leadId);
  }

  @Get('contacts/:contactId/timeline')
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOperation({ summary: 'The contact\'s timeline across all of its leads, past ones included' })
  @ApiAnswers(200, [TimelineEntryView], 'Oldest first', { notFound: 'The account has no lead or delivery of this contact' })
  ofContact(@AccountId() accountId: string, @Param('contactId', ParseUUIDPipe) contactId: string): Promise<TimelineEntryView[]> {
    return this.timeline.ofContact(accountId, contactId);
  }

  @Post('leads/:leadId/notes')
  @HttpCode(201)
  @ApiLeadId()
  @ApiOperation({ summary: 'A member\'s note in the lead\'s timeline' })
  @ApiAnswers(201, TimelineEntryView, 'The note as a timeline entry', { notFound: 'No such lead in the account' })
  @ApiForbiddenResponse({ description: 'Not called as a member (notes are written by members)' })
  addNote(@CurrentActor() actor: Actor, @Param('leadId', ParseUUIDPipe) leadId: string, @Body() dto: NoteDto): Promise<TimelineEntryView> {
    return this.timeline.addNote(actor, leadId, dto);
  }

  @Post('broadcast-deliveries')
  @HttpCode(202)
  @ApiOperation({ summary: 'A broadcast delivery (sent, delivered, read, failed) for the timeline; same as the broadcasts.v1.delivery.updated event' })
  @ApiAnswers(202, BroadcastDeliveryView, 'Recorded (or already known)')
  recordDelivery(@AccountId() accountId: string, @Body() dto: BroadcastDeliveryDto): Promise<BroadcastDeliveryView> {
    return this.timeline.recordDelivery(accountId, dto);
  }
}
