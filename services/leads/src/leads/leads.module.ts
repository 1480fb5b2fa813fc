import { Module } from '@nestjs/common';
import { LeadOpening } from './lead-opening';
import { LeadsController } from './leads.controller';
import { LeadsService } from './leads.service';

@Module({ controllers: [LeadsController], providers: [LeadsService, LeadOpening] })
export class LeadsModule {}
