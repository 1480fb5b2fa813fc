import { AccountId, AdminOnly, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { assertAdmin } from '../members/member-access';
import { CreateAutomationDto, UpdateAutomationDto } from './automation.dto';
import { AutomationsService } from './automations.service';

/** Automation rules: trigger, optional conditions, action. Admins manage them. */
@Controller('v1/automations')
export class AutomationsController {
  constructor(private readonly automations: AutomationsService) {}

  @Get()
  list(@AccountId() accountId: string) {
    return this.automations.list(accountId);
  }

  @Get(':id')
  get(@AccountId() accountId: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.automations.get(accountId, id);
  }

  @Post() @AdminOnly()
  create(@CurrentActor() actor: Actor, @Body() body: CreateAutomationDto) {
    assertAdmin(actor);
    return this.automations.create(actor.accountId, body);
  }

  @Patch(':id') @AdminOnly()
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateAutomationDto) {
    assertAdmin(actor);
    return this.automations.update(actor.accountId, id, body);
  }

  @Delete(':id') @AdminOnly() @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    assertAdmin(actor);
    await this.automations.remove(actor.accountId, id);
  }
}
