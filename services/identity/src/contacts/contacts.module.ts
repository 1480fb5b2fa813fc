import { Module } from '@nestjs/common';
import { CustomDataModule } from '../custom-data/custom-data.module';
import { ContactIdentifiersService } from './contact-identifiers.service';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [CustomDataModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactIdentifiersService],
  exports: [ContactsService],
})
export class ContactsModule {}
