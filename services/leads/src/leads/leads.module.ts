import { Module } from '@nestjs/common';
import { BulkController } from '../bulk/bulk.controller';
import { BulkService } from '../bulk/bulk.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { ContactFates } from '../contacts/contact-fates';
import { ContactUnmerge } from '../contacts/contact-unmerge';
import { ExportController } from '../export/export.controller';
import { ExportService } from '../export/export.service';
import { FollowUpsController } from '../follow-ups/follow-ups.controller';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { LeadChanges } from '../lifecycle/lead-changes';
import { LifecycleController } from '../lifecycle/lifecycle.controller';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { MemberDirectory } from '../members/member-directory';
import { OpenApiController } from '../openapi/openapi.controller';
import { BroadcastDeliveries } from '../timeline/broadcast-deliveries';
import { TimelineController } from '../timeline/timeline.controller';
import { TimelineService } from '../timeline/timeline.service';
import { LeadIntakeService } from './lead-intake.service';
import { LeadOpening } from './lead-opening';
import { LeadsController } from './leads.controller';
import { LeadsQueryService } from './leads-query.service';

/**
 * The leads service's features, each in its folder: leads (list, detail, intake, opening), lifecycle (status,
 * assignment, score), follow-ups, timeline (history, notes, broadcasts), bulk, export, members, contacts, openapi.
 * One module because they share the lead row and its rules; static routes (bulk, export.csv, counts) are
 * registered before `:leadId`.
 */
@Module({
  controllers: [
    BulkController, ExportController, LeadsController, LifecycleController, FollowUpsController, TimelineController, OpenApiController,
  ],
  providers: [
    LeadsQueryService, LeadIntakeService, LeadOpening, LeadChanges, LifecycleService, FollowUpsService, TimelineService,
    BroadcastDeliveries, BulkService, ExportService, MemberDirectory, ContactDirectory, ContactFates, ContactUnmerge,
  ],
})
export class LeadsModule {}
