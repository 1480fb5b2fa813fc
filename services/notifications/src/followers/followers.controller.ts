import { CurrentActor, type Actor } from '@leadline/platform';
import { Controller, Delete, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { assertMayActFor } from '../members/member-access';
import { FollowersService } from './followers.service';

/** Who follows a conversation; a member follows or unfollows it for themself (admins for anyone). */
@Controller('v1/conversations/:conversationId/followers')
export class FollowersController {
  constructor(private readonly followers: FollowersService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Param('conversationId', ParseUUIDPipe) conversationId: string) {
    return this.followers.list(actor.accountId, conversationId);
  }

  @Put(':memberId')
  follow(@CurrentActor() actor: Actor, @Param('conversationId', ParseUUIDPipe) conversationId: string,
    @Param('memberId', ParseUUIDPipe) memberId: string) {
    return this.change(actor, conversationId, memberId, true);
  }

  @Delete(':memberId')
  unfollow(@CurrentActor() actor: Actor, @Param('conversationId', ParseUUIDPipe) conversationId: string,
    @Param('memberId', ParseUUIDPipe) memberId: string) {
    return this.change(actor, conversationId, memberId, false);
  }

  private async change(actor: Actor, conversationId: string, memberId: string, following: boolean) {
    assertMayActFor(actor, memberId);
    return this.followers.follow(actor.accountId, conversationId, memberId, following);
  }
}
