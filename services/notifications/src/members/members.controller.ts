import { NOTIFICATION_PREFERENCES, type NotificationPreference } from '@leadline/contracts';
import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { IsIn } from 'class-validator';
import { assertMayActFor } from './member-access';
import { MembersService } from './members.service';

class PreferenceDto {
  @IsIn(NOTIFICATION_PREFERENCES, { message: `preference must be one of ${NOTIFICATION_PREFERENCES.join(', ')}` })
  preference!: NotificationPreference;
}

@Controller('v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  list(@AccountId() accountId: string) {
    return this.members.list(accountId);
  }

  @Get(':memberId')
  get(@AccountId() accountId: string, @Param('memberId', ParseUUIDPipe) memberId: string) {
    return this.members.get(accountId, memberId);
  }

  /** "All events", "Only my events" (conversations I follow) or off: a member's own, or anyone's for admins. */
  @Patch(':memberId/preference')
  async setPreference(
    @CurrentActor() actor: Actor, @Param('memberId', ParseUUIDPipe) memberId: string, @Body() body: PreferenceDto,
  ) {
    await this.members.get(actor.accountId, memberId); // 404 before 403: another account's member is unknown here
    assertMayActFor(actor, memberId);
    return this.members.setPreference(actor.accountId, memberId, body.preference);
  }
}
