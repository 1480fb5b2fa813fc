import { AdminOnly, CurrentActor, type Actor } from '@leadline/platform';
import { Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ErasureService } from './erasure.service';

/** Right to be forgotten; admins only, since it cannot be undone. */
@Controller('v1/contacts')
export class ErasureController {
  constructor(private readonly erasure: ErasureService) {}

  @Delete(':contactId')
  @AdminOnly()
  remove(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string) {
    return this.erasure.erase(actor.accountId, contactId, actor);
  }

  @Post(':contactId/erase')
  @HttpCode(200)
  @AdminOnly()
  erase(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string) {
    return this.erasure.erase(actor.accountId, contactId, actor);
  }
}
