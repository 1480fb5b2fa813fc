import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CreateMemberDto, UpdateMemberDto } from './member.dto';
import { MembersService } from './members.service';

@Controller('v1/accounts/:accountId/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Post()
  add(@Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: CreateMemberDto) {
    return this.members.add(accountId, dto);
  }

  @Get()
  list(@Param('accountId', ParseUUIDPipe) accountId: string) {
    return this.members.list(accountId);
  }

  @Patch(':memberId')
  update(
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('memberId', ParseUUIDPipe) memberId: string,
    @Body() dto: UpdateMemberDto,
  ) {
    return this.members.update(accountId, memberId, dto);
  }

  @Delete(':memberId')
  @HttpCode(204)
  remove(@Param('accountId', ParseUUIDPipe) accountId: string, @Param('memberId', ParseUUIDPipe) memberId: string) {
    return this.members.remove(accountId, memberId);
  }
}
