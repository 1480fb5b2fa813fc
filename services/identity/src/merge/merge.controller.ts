import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ListMergesQuery, MergeContactsDto } from './merge.dto';
import { MergeService } from './merge.service';

@Controller('v1')
export class MergeController {
  constructor(private readonly merges: MergeService) {}

  /** Merges `otherContactId` into the contact in the path, which survives. */
  @Post('contacts/:contactId/merge')
  merge(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: MergeContactsDto) {
    return this.merges.merge(actor.accountId, contactId, body.otherContactId, actor);
  }

  @Get('merges')
  list(@AccountId() accountId: string, @Query() query: ListMergesQuery) {
    return this.merges.list(accountId, query.contactId);
  }

  @Get('merges/:mergeId')
  get(@AccountId() accountId: string, @Param('mergeId', ParseUUIDPipe) mergeId: string) {
    return this.merges.get(accountId, mergeId);
  }

  /** Restores both contacts, within 30 days of the merge. */
  @Post('merges/:mergeId/unmerge')
  @HttpCode(200)
  unmerge(@CurrentActor() actor: Actor, @Param('mergeId', ParseUUIDPipe) mergeId: string) {
    return this.merges.unmerge(actor.accountId, mergeId, actor);
  }
}
