import { CurrentActor, AccountId, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ContactIdentifiersService } from './contact-identifiers.service';
import { AddIdentifierDto, CreateContactDto, UpdateContactDto } from './contact.dto';
import { ContactsService } from './contacts.service';

@Controller('v1/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService, private readonly identifiers: ContactIdentifiersService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateContactDto) {
    return this.contacts.create(actor, body);
  }

  @Get(':contactId')
  detail(@AccountId() accountId: string, @Param('contactId', ParseUUIDPipe) contactId: string) {
    return this.contacts.detail(accountId, contactId);
  }

  @Patch(':contactId')
  update(@CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: UpdateContactDto) {
    return this.contacts.update(actor, contactId, body);
  }

  @Post(':contactId/identifiers')
  async addIdentifier(
    @CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string, @Body() body: AddIdentifierDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, identifier } = await this.identifiers.add(actor, contactId, body);
    reply.status(created ? 201 : 200);
    return identifier;
  }

  @Delete(':contactId/identifiers/:identifierId')
  @HttpCode(204)
  async removeIdentifier(
    @CurrentActor() actor: Actor, @Param('contactId', ParseUUIDPipe) contactId: string,
    @Param('identifierId', ParseUUIDPipe) identifierId: string,
  ): Promise<void> {
    await this.identifiers.remove(actor, contactId, identifierId);
  }
}
