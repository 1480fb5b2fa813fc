import { Module } from '@nestjs/common';
import { ContactSearchController } from './contact-search.controller';
import { ContactSearchService } from './contact-search.service';

@Module({ controllers: [ContactSearchController], providers: [ContactSearchService] })
export class ContactSearchModule {}
