import { AccountId } from '@leadline/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ContactsService } from './contacts.service';

@Controller('v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get()
  list(@AccountId() accountId: string) {
    return this.contacts.list(accountId);
  }

  @Get(':contactId')
  detail(@AccountId() accountId: string, @Param('contactId', ParseUUIDPipe) contactId: string) {
    return this.contacts.detail(accountId, contactId);
  }
}
