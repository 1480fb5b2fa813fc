import { CurrentActor, type Actor } from '@leadline/platform';
import {
  BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post, UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ContactImportService, type ImportReport } from './contact-import.service';
import { CONTACT_IMPORT_OPTIONS, type ContactImportOptions } from './contact-import.options';
import { ImportFileError } from './import-file';

@Controller('v1/contacts/import')
export class ContactImportController {
  constructor(
    private readonly imports: ContactImportService,
    @Inject(CONTACT_IMPORT_OPTIONS) private readonly options: ContactImportOptions,
  ) {}

  /**
   * `Content-Type: text/csv`, the file as the body. 200 with a report of created, matched and rejected rows;
   * 400 with the line and the reason when the file itself is wrong (nothing is stored then).
   */
  @Post()
  @HttpCode(200)
  async import(@CurrentActor() actor: Actor, @Body() csv: unknown, @Headers('content-type') contentType?: string): Promise<ImportReport> {
    // Fastify would also hand a text/plain body over as a string, but with its general size limit, not the import's.
    if (contentType && !/^text\/csv\b/i.test(contentType) && typeof csv === 'string') {
      throw new UnsupportedMediaTypeException(`send the file as Content-Type: text/csv, not ${contentType}`);
    }
    if (typeof csv !== 'string') {
      throw new BadRequestException({
        statusCode: 400, error: 'Bad Request', message: 'send the CSV file as the body, with Content-Type: text/csv',
        fields: [{ field: 'body', reason: 'must be a CSV file sent as text/csv' }],
      });
    }
    try {
      return await this.imports.import(actor, csv, this.options.maxRows);
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
      throw new BadRequestException({
        statusCode: 400, error: 'Bad Request', message: `nothing was imported: ${error.message}`,
        line: error.line, reason: error.reason, fields: [{ field: `line ${error.line}`, reason: error.reason }],
      });
    }
  }
}
