import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LeadFilterDto, LeadListQueryDto } from '../listing/lead-filter.dto';
import { ApiAnswers, ApiLeadId } from '../openapi/api-responses';
import { CreateLeadDto } from './create-lead.dto';
import { LeadIntakeService } from './lead-intake.service';
import { TimelineService } from '../timeline/timeline.service';
import { LeadCountsView, LeadDetailView, LeadView } from './lead.view';
import { LeadsQueryService } from './leads-query.service';

@ApiTags('leads')
@Controller('v1/leads')
export class LeadsController {
  constructor(
    private readonly leads: LeadsQueryService, private readonly intake: LeadIntakeService, private readonly timeline: TimelineService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List leads: filters, sort, cursor pagination. The next page\'s cursor is in the X-Next-Cursor header.' })
  @ApiAnswers(200, [LeadView], 'One page of leads, in sort order')
  @ApiHeader({ name: 'X-Next-Cursor', required: false, description: 'Response header: pass it as `cursor` for the next page; absent on the last page' })
  async list(@AccountId() accountId: string, @Query() query: LeadListQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LeadView[]> {
    const page = await this.leads.page(accountId, query);
    if (page.nextCursor) void reply.header('X-Next-Cursor', page.nextCursor);
    return page.items;
  }

  @Get('counts')
  @ApiOperation({ summary: 'Counts per status of the leads the filters match (the status filter aside)' })
  @ApiAnswers(200, LeadCountsView, 'Counts per status')
  counts(@AccountId() accountId: string, @Query() filter: LeadFilterDto): Promise<LeadCountsView> {
    return this.leads.counts(accountId, filter);
  }

  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Open a lead for a contact named by email, phone or id (integrations); reason `api`' })
  @ApiAnswers(201, LeadView, 'The new lead', {
    notFound: 'No such contact in the account (identity has not created or imported it)',
    conflict: 'The contact already has an active lead',
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateLeadDto): Promise<LeadView> {
    return this.intake.create(actor, dto);
  }

  @Get(':leadId')
  @ApiLeadId()
  @ApiOperation({ summary: 'One lead' })
  @ApiAnswers(200, LeadDetailView, 'The lead with its timeline (readable whatever its status)', { notFound: 'No such lead in the account' })
  async detail(@AccountId() accountId: string, @Param('leadId', ParseUUIDPipe) leadId: string): Promise<LeadDetailView> {
    const lead = await this.leads.one(accountId, leadId);
    return { ...lead, history: await this.timeline.ofLead(accountId, leadId) };
  }
}
