import { Controller, Get, Header } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef, type NestContainer } from '@nestjs/core';
import { ApiOkResponse, ApiOperation, ApiTags, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * Swagger's scanner wants the Nest application, and services are started by the shared platform code
 * (`runService`/`startService`) that offers no hook to call `SwaggerModule.setup`. Everything the scanner reads
 * from the application (its module container, its config, its HTTP adapter) is reachable from here, so the
 * document is built from those on the first request, when every route is registered, and kept.
 */
function applicationView(moduleRef: ModuleRef, adapterHost: HttpAdapterHost): Parameters<typeof SwaggerModule.createDocument>[0] {
  const container = (moduleRef as unknown as { container: NestContainer }).container;
  return {
    container,
    config: container.applicationConfig,
    getHttpAdapter: () => adapterHost.httpAdapter,
  } as unknown as Parameters<typeof SwaggerModule.createDocument>[0];
}

@ApiTags('openapi')
@Controller('v1/openapi.json')
export class OpenApiController {
  private document: OpenAPIObject | undefined;

  constructor(private readonly moduleRef: ModuleRef, private readonly adapterHost: HttpAdapterHost) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: 'This document: the leads API in OpenAPI 3' })
  @ApiOkResponse({ description: 'The OpenAPI document', schema: { type: 'object' } })
  openApi(): OpenAPIObject {
    this.document ??= SwaggerModule.createDocument(applicationView(this.moduleRef, this.adapterHost), new DocumentBuilder()
      .setTitle('Leadline leads API')
      .setDescription('Leads: list, filters, status, assignment, score, follow-ups, notes, timelines, bulk actions and CSV export. '
        + 'Every call acts for one account, named by the caller\'s credentials; anything of another account answers 404.')
      .setVersion('1')
      .build());
    return this.document;
  }
}
