import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CONTACT_IMPORT_OPTIONS, type ContactImportOptions } from './contact-import.options';

/**
 * Fastify parses only JSON bodies by default; an import sends the CSV file itself (text/csv). Registered here
 * rather than in the shared app set-up because only this service takes files, with its own size limit.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost, @Inject(CONTACT_IMPORT_OPTIONS) private readonly options: ContactImportOptions) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: this.options.maxBytes }, (_request, body, done) => {
      done(null, body);
    });
  }
}
