import { AccountId } from '@leadline/platform';
import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { LeadsService } from './leads.service';

@Controller('v1/leads')
export class LeadsController {
  constructor(private readonly leads: LeadsService) {}

  @Get()
  list(@AccountId() accountId: string) {
    return this.leads.list(accountId);
  }

  @Get(':leadId')
  detail(@AccountId() accountId: string, @Param('leadId', ParseUUIDPipe) leadId: string) {
    return this.leads.detail(accountId, leadId);
  }
}
