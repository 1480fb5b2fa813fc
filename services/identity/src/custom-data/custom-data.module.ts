import { Module } from '@nestjs/common';
import { CompaniesService } from './companies.service';
import { ContactAttributesService } from './contact-attributes.service';
import { ContactEventsService } from './contact-events.service';
import { CustomDataController } from './custom-data.controller';
import { CustomDataReader } from './custom-data.reader';

/** The business's own data on contacts: typed attributes, events, and the company they belong to. */
@Module({
  controllers: [CustomDataController],
  providers: [ContactAttributesService, ContactEventsService, CompaniesService, CustomDataReader],
  exports: [CustomDataReader],
})
export class CustomDataModule {}
