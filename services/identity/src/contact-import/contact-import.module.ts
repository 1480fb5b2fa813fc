import { Module, type DynamicModule } from '@nestjs/common';
import { ContactImportController } from './contact-import.controller';
import { CONTACT_IMPORT_OPTIONS, type ContactImportOptions } from './contact-import.options';
import { ContactImportService } from './contact-import.service';
import { CsvBodyParser } from './csv-body-parser';

@Module({})
export class ContactImportModule {
  static forRoot(options: ContactImportOptions): DynamicModule {
    return {
      module: ContactImportModule,
      controllers: [ContactImportController],
      providers: [ContactImportService, CsvBodyParser, { provide: CONTACT_IMPORT_OPTIONS, useValue: options }],
    };
  }
}
