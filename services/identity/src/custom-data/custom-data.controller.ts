import { AccountId, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CompaniesService } from './companies.service';
import { ContactAttributesService } from './contact-attributes.service';
import { ContactEventsService } from './contact-events.service';
import { EventsPageQuery, RecordEventByIdentifierDto, RecordEventDto, SetAttributesDto, SetCompanyDto } from './custom-data.dto';

@Controller('v1')
export class CustomDataController {
  constructor(
    private readonly attributes: ContactAttributesService, private readonly events: ContactEventsService,
    private readonly companies: CompaniesService,
  ) {}

  @Put('contacts/:contactId/attributes')
  async setAttributes(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: SetAttributesDto) {
    const attributes = await this.attributes.set(actor, contactId, body);
    return { attributes: attributes.map((a) => ({ key: a.key, type: a.type, value: a.value, source: a.source, updatedAt: a.updatedAt.toISOString() })) };
  }

  @Delete('contacts/:contactId/attributes/:key')
  @HttpCode(204)
  async removeAttribute(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Param('key') key: string) {
    await this.attributes.remove(actor, contactId, key);
  }

  @Post('contacts/:contactId/events')
  async recordEvent(
    @CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: RecordEventDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, event } = await this.events.record(actor, contactId, body);
    reply.status(created ? 201 : 200);
    return event;
  }

  @Get('contacts/:contactId/events')
  listEvents(@AccountId() accountId: string, @Param('contactId', ParseUUIDPipe) contactId: string, @Query() query: EventsPageQuery) {
    return this.events.page(accountId, contactId, query.cursor, query.limit ? Number(query.limit) : undefined);
  }

  /** For trackers that know the visitor by an identifier (the widget's device id): recorded only for a lead. */
  @Post('contact-events')
  async recordEventByIdentifier(
    @CurrentActor() actor: Actor, @Body() body: RecordEventByIdentifierDto, @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, event } = await this.events.recordByIdentifier(actor, body);
    reply.status(created ? 201 : 200);
    return event;
  }

  @Put('contacts/:contactId/company')
  setCompany(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: SetCompanyDto) {
    return this.companies.setForContact(actor, contactId, body);
  }

  @Delete('contacts/:contactId/company')
  @HttpCode(204)
  async removeCompany(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string) {
    await this.companies.removeFromContact(actor, contactId);
  }

  @Get('companies/:companyId')
  company(@AccountId() accountId: string, @Param('companyId') companyId: string) {
    return this.companies.get(accountId, companyId);
  }
}
