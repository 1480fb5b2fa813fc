import { AccountId } from '@leadline/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ContactSearchQuery } from './contact-search.dto';
import { ContactSearchService } from './contact-search.service';

@Controller('v1/contacts')
export class ContactSearchController {
  constructor(private readonly search: ContactSearchService) {}

  /** GET /v1/contacts?email=|phone=|name=&cursor=&limit=: filters combine; none lists every contact. */
  @Get()
  list(@AccountId() accountId: string, @Query() query: ContactSearchQuery) {
    return this.search.search(accountId, query);
  }
}
