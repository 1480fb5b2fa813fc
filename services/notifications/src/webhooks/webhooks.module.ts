import { Module } from '@nestjs/common';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookSender } from './webhook-sender';

@Module({ controllers: [WebhookEndpointsController], providers: [WebhookEndpointsService, WebhookSender], exports: [WebhookSender] })
export class WebhooksModule {}
