import { serviceRoutes } from '@leadline/platform';
import { PATH_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { PUBLIC_ENDPOINT, REQUIRED_ROLE } from '@leadline/platform';

type Constructor = new (...args: never[]) => object;

/** One endpoint of a running service: its method and path, and the DTO classes of its body and query. */
export interface Endpoint {
  service: string;
  method: string;
  /** Fastify's form: `/v1/leads/:leadId`. */
  path: string;
  params: string[];
  body?: Constructor;
  query?: Constructor;
  public: boolean;
  /** Marked @AdminOnly() (on the method or its controller). */
  adminOnly: boolean;
}

const BODY = 3;
const QUERY = 4;

function joinPath(...parts: string[]): string {
  return `/${parts.map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}

/**
 * Every endpoint of an app, read from Nest's controller metadata (for the DTO classes) and checked against the
 * routes Fastify actually registered, so an endpoint nobody described here is still found and tested.
 */
export function endpointsOf(service: string, app: INestApplication): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as Constructor | undefined;
      if (!type) continue;
      const bases = ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      const classPublic = Reflect.getMetadata(PUBLIC_ENDPOINT, type) === true;
      const classAdmin = Reflect.getMetadata(REQUIRED_ROLE, type) === 'admin';
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        if (name === 'constructor') continue;
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number]!;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) ?? {}) as Record<string, { index: number; data?: unknown }>;
        const types = (Reflect.getMetadata('design:paramtypes', type.prototype, name) ?? []) as Constructor[];
        const dtoOf = (paramtype: number): Constructor | undefined => {
          const arg = Object.entries(args).find(([key, value]) => key.startsWith(`${paramtype}:`) && value.data === undefined);
          const candidate = arg ? types[arg[1].index] : undefined;
          return candidate && candidate !== Object && candidate !== String ? candidate : undefined;
        };
        for (const base of bases) {
          for (const path of ([] as string[]).concat(paths)) {
            const full = joinPath(base, path);
            endpoints.push({
              service, method, path: full, params: [...full.matchAll(/:(\w+)/g)].map((m) => m[1]!),
              ...(dtoOf(BODY) ? { body: dtoOf(BODY)! } : {}), ...(dtoOf(QUERY) ? { query: dtoOf(QUERY)! } : {}),
              public: classPublic || Reflect.getMetadata(PUBLIC_ENDPOINT, handler) === true,
              adminOnly: classAdmin || Reflect.getMetadata(REQUIRED_ROLE, handler) === 'admin',
            });
          }
        }
      }
    }
  }
  const known = new Set(endpoints.map((e) => `${e.method} ${e.path}`));
  for (const route of serviceRoutes(app)) {
    if (!known.has(`${route.method} ${route.path}`)) {
      endpoints.push({ service, method: route.method, path: route.path, params: [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!), public: false, adminOnly: false });
    }
  }
  // Probes and metrics take no input and act for no account: nothing to isolate or to malform.
  return endpoints.filter((endpoint) => !endpoint.path.startsWith('/health') && endpoint.path !== '/metrics');
}

export function fillPath(endpoint: Endpoint, value: (param: string) => string): string {
  return endpoint.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(value(name)));
}
