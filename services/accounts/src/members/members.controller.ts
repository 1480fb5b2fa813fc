import { AdminOnly, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { requireOwnAccount } from '../access/account-scope';
import { CreateMemberDto, UpdateMemberDto } from './member.dto';
import { MembersService } from './members.service';

/** The team: every member may see it; only admins change it. A removed member's sessions stop working. */
@Controller('v1/accounts/:accountId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post()
  @AdminOnly()
  add(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: CreateMemberDto) {
    requireOwnAccount(actor, accountId);
    return this.members.add(accountId, dto);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string) {
    requireOwnAccount(actor, accountId);
    return this.members.list(accountId);
  }

  @Patch(':memberId')
  @AdminOnly()
  update(
    @CurrentActor() actor: Actor,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('memberId', ParseUUIDPipe) memberId: string,
    @Body() dto: UpdateMemberDto,
  ) {
    requireOwnAccount(actor, accountId);
    return this.members.update(accountId, memberId, dto);
  }

  @Delete(':memberId')
  @AdminOnly()
  @HttpCode(204)
  remove(
    @CurrentActor() actor: Actor,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('memberId', ParseUUIDPipe) memberId: string,
  ) {
    requireOwnAccount(actor, accountId);
    return this.members.remove(accountId, memberId);
  }
}
