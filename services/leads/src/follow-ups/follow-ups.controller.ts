import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiAnswers, ApiLeadId, INACTIVE_CONFLICT } from '../openapi/api-responses';
import { CreateFollowUpDto, FollowUpListQueryDto, FollowUpView } from './follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@Controller('v1')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Post('leads/:leadId/follow-ups')
  @HttpCode(201)
  @ApiLeadId()
  @ApiOperation({ summary: 'Schedule a follow-up on an active lead (publishes leads.v1.lead.follow_up_created)' })
  @ApiAnswers(201, FollowUpView, 'The follow-up', { notFound: 'No such lead, or the assignee is not a member of the account', conflict: INACTIVE_CONFLICT })
  create(@CurrentActor() actor: Actor, @Param('leadId', ParseUUIDPipe) leadId: string, @Body() dto: CreateFollowUpDto): Promise<FollowUpView> {
    return this.followUps.create(actor, leadId, dto);
  }

  @Get('leads/:leadId/follow-ups')
  @ApiLeadId()
  @ApiOperation({ summary: 'A lead\'s follow-ups, open and done, by due time' })
  @ApiAnswers(200, [FollowUpView], 'The follow-ups', { notFound: 'No such lead in the account' })
  ofLead(@AccountId() accountId: string, @Param('leadId', ParseUUIDPipe) leadId: string): Promise<FollowUpView[]> {
    return this.followUps.ofLead(accountId, leadId);
  }

  @Get('follow-ups')
  @ApiOperation({ summary: 'Due or overdue open follow-ups of active leads, soonest first' })
  @ApiAnswers(200, [FollowUpView], 'The follow-ups')
  list(@AccountId() accountId: string, @Query() query: FollowUpListQueryDto): Promise<FollowUpView[]> {
    return this.followUps.list(accountId, query);
  }

  @Post('follow-ups/:followUpId/complete')
  @HttpCode(200)
  @ApiParam({ name: 'followUpId', format: 'uuid' })
  @ApiOperation({ summary: 'Mark a follow-up done (again: no change)' })
  @ApiAnswers(200, FollowUpView, 'The follow-up', { notFound: 'No such follow-up in the account' })
  complete(@CurrentActor() actor: Actor, @Param('followUpId', ParseUUIDPipe) followUpId: string): Promise<FollowUpView> {
    return this.followUps.complete(actor, followUpId);
  }
}
