import { AdminOnly, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { assertAdmin } from '../members/member-access';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './webhook-endpoint.dto';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** The caller's account, once they are known to be an admin (or a system). */
function admin(actor: Actor): string {
  assertAdmin(actor);
  return actor.accountId;
}

class DeliveryLogQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

/** Webhook endpoints of the account's internal systems, and their delivery logs. Admins only: they hold secrets. */
@Controller('v1/webhooks')
@AdminOnly()
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() body: CreateWebhookEndpointDto) {
    return this.endpoints.create(admin(actor), body);
  }

  @Get()
  list(@CurrentActor() actor: Actor) {
    return this.endpoints.list(admin(actor));
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.endpoints.get(admin(actor), id);
  }

  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWebhookEndpointDto) {
    return this.endpoints.update(admin(actor), id, body);
  }

  @Delete(':id') @HttpCode(204)
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.endpoints.remove(admin(actor), id);
  }

  @Get(':id/deliveries')
  deliveries(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Query() query: DeliveryLogQuery) {
    return this.endpoints.deliveries(admin(actor), id, query.limit ?? 100);
  }
}
