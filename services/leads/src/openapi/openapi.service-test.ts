import { serviceRoutes } from '@leadline/platform';
import { startService, systemHeaders, TestRun } from '@leadline/testing';
import { randomUUID } from 'node:crypto';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getMetadataStorage } from 'class-validator';
import { leadsService } from '../leads.service-definition';
import { LeadsModule } from '../leads/leads.module';

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

interface Route {
  method: string;
  path: string;
  handler: Type<unknown>['prototype'][string];
  controller: Type<unknown>;
  name: string;
}

/** Every route of the leads module, read from Nest's own metadata (what Fastify actually serves). */
function routes(): Route[] {
  const controllers = Reflect.getMetadata('controllers', LeadsModule) as Type<unknown>[];
  return controllers.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    return Object.getOwnPropertyNames(controller.prototype).filter((name) => name !== 'constructor').flatMap((name) => {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler as object) as RequestMethod | undefined;
      if (method === undefined) return [];
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler as object) ?? '/');
      const path = `/${[base, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      return [{ method: RequestMethod[method].toLowerCase(), path, handler, controller, name }];
    });
  });
}

/** The DTO classes a handler takes as @Query() or @Body(). */
function dtoArgs(route: Route): { kind: 'query' | 'body'; type: Type<unknown> }[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, route.name) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const types = Reflect.getMetadata('design:paramtypes', route.controller.prototype as object, route.name) as Type<unknown>[];
  return Object.entries(args).flatMap(([key, arg]): { kind: 'query' | 'body'; type: Type<unknown> }[] => {
    const paramtype = Number(key.split(':')[0]);
    if (arg.data !== undefined) return [];
    if (paramtype === RouteParamtypes.QUERY) return [{ kind: 'query', type: types[arg.index]! }];
    if (paramtype === RouteParamtypes.BODY) return [{ kind: 'body', type: types[arg.index]! }];
    return [];
  });
}

function validatedProperties(type: Type<unknown>): string[] {
  return [...new Set(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).map((m) => m.propertyName))].sort();
}

describe('the OpenAPI document', () => {
  let run: TestRun;
  let app: NestFastifyApplication;
  let document: Document;

  beforeAll(async () => {
    run = await TestRun.start();
    let url: string;
    ({ app, url } = await startService(run, leadsService));
    const response = await fetch(`${url}/v1/openapi.json`, { headers: systemHeaders(randomUUID()) });
    expect(response.status).toBe(200);
    document = await response.json() as Document;
  });

  afterAll(async () => {
    await app?.close();
    await run?.cleanup();
  });

  it('is OpenAPI 3 and documents every route of the service', () => {
    expect(document.openapi).toMatch(/^3\./);
    const all = routes();
    expect(all.length).toBeGreaterThanOrEqual(18);
    const missing = all.filter((r) => !document.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    // What Fastify really serves (platform routes aside) is exactly what the leads module declares.
    const served = serviceRoutes(app).filter((r) => r.path.startsWith('/v1/')).map((r) => `${r.method.toLowerCase()} ${r.path}`).sort();
    expect(served).toEqual(all.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('documents every path parameter, query parameter and body property a route validates', () => {
    const problems: string[] = [];
    for (const route of routes()) {
      const operation = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]![route.method]!;
      const label = `${route.method} ${route.path}`;
      const parameters = operation.parameters ?? [];
      for (const [, name] of route.path.matchAll(/:(\w+)/g)) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) problems.push(`${label}: path parameter ${name}`);
      }
      for (const dto of dtoArgs(route)) {
        const expected = validatedProperties(dto.type);
        if (dto.kind === 'query') {
          const documented = parameters.filter((p) => p.in === 'query').map((p) => p.name);
          for (const name of expected) if (!documented.includes(name)) problems.push(`${label}: query parameter ${name}`);
        } else {
          const ref = operation.requestBody?.content['application/json']?.schema.$ref;
          const schema = ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : undefined;
          const documented = Object.keys(schema?.properties ?? {});
          for (const name of expected) if (!documented.includes(name)) problems.push(`${label}: body property ${name}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents each route\'s success answer and its 400, with schemas for JSON answers', () => {
    const problems: string[] = [];
    for (const route of routes()) {
      const operation = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]![route.method]!;
      const label = `${route.method} ${route.path}`;
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) problems.push(`${label}: no success answer`);
      for (const [status, answer] of success) {
        if (!answer.description) problems.push(`${label}: ${status} has no description`);
        if (route.path !== '/v1/leads/export.csv' && !answer.content) problems.push(`${label}: ${status} has no schema`);
      }
      if (route.path !== '/v1/openapi.json' && !operation.responses['400']) problems.push(`${label}: no 400 answer`);
      if (route.path.includes(':') && !operation.responses['404']) problems.push(`${label}: no 404 answer`);
    }
    expect(problems).toEqual([]);
  });

  it('names the 409 of every change an inactive lead refuses', () => {
    const refusing = ['/v1/leads/{leadId}/status', '/v1/leads/{leadId}/assignee', '/v1/leads/{leadId}/score'];
    for (const path of refusing) expect(document.paths[path]!['put']!.responses['409']).toBeDefined();
    expect(document.paths['/v1/leads/{leadId}/follow-ups']!['post']!.responses['409']).toBeDefined();
  });
});
