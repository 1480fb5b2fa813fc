import { CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LeadView } from '../leads/lead.view';
import { ApiAnswers, ApiLeadId, INACTIVE_CONFLICT } from '../openapi/api-responses';
import { AssignDto, ChangeStatusDto, SetScoreDto } from './lifecycle.dto';
import { LifecycleService } from './lifecycle.service';

const NOT_FOUND = 'No such lead in the account';

@ApiTags('lead lifecycle')
@Controller('v1/leads/:leadId')
export class LifecycleController {
  constructor(private readonly lifecycle: LifecycleService) {}

  @Put('status')
  @ApiLeadId()
  @ApiOperation({ summary: 'Move an active lead to a status (publishes leads.v1.lead.status_changed)' })
  @ApiAnswers(200, LeadView, 'The lead after the change (unchanged when already in that status)', { notFound: NOT_FOUND, conflict: INACTIVE_CONFLICT })
  changeStatus(@CurrentActor() actor: Actor, @Param('leadId', ParseUUIDPipe) leadId: string, @Body() dto: ChangeStatusDto): Promise<LeadView> {
    return this.lifecycle.changeStatus(actor, leadId, dto);
  }

  @Put('assignee')
  @ApiLeadId()
  @ApiOperation({ summary: 'Assign, reassign or unassign (agentId null) an active lead (publishes leads.v1.lead.assigned)' })
  @ApiAnswers(200, LeadView, 'The lead after the change', {
    notFound: 'No such lead, or the member is not a member of the account', conflict: INACTIVE_CONFLICT,
  })
  assign(@CurrentActor() actor: Actor, @Param('leadId', ParseUUIDPipe) leadId: string, @Body() dto: AssignDto): Promise<LeadView> {
    return this.lifecycle.assign(actor, leadId, dto);
  }

  @Put('score')
  @ApiLeadId()
  @ApiOperation({ summary: 'Set the score by hand (source manual; publishes leads.v1.lead.scored)' })
  @ApiAnswers(200, LeadView, 'The lead after the change', { notFound: NOT_FOUND, conflict: INACTIVE_CONFLICT })
  setScore(@CurrentActor() actor: Actor, @Param('leadId', ParseUUIDPipe) leadId: string, @Body() dto: SetScoreDto): Promise<LeadView> {
    return this.lifecycle.setScore(actor, leadId, dto);
  }
}
