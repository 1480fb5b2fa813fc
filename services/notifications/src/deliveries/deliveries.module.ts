import { Module } from '@nestjs/common';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { DeliveryOutcomes } from './delivery-outcomes';
import { DeliverySending } from './delivery-sending';
import { DeliveryWorker } from './delivery-worker';
import { EmailSender } from './email-sender';

@Module({ imports: [WebhooksModule], providers: [EmailSender, DeliverySending, DeliveryOutcomes, DeliveryWorker] })
export class DeliveriesModule {}
