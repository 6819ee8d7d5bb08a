import type { FastifyServerOptions } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { buildApiServer } from '../../../ingest/src/api/api-server';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { OPENAPI_DOCUMENT } from '../../../ingest/src/api/openapi';

interface Route {
  readonly method: string | readonly string[];
  readonly url: string;
  readonly schema?: { readonly params?: unknown; readonly querystring?: unknown };
}

// Every route Fastify registers, seen through an onRoute hook put on each instance as it is made.
const registered = vi.hoisted((): Route[] => []);
vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<typeof import('fastify')>();
  const fastify = (options?: FastifyServerOptions) => real.default(options).addHook('onRoute', ({ method, url, schema }) => void registered.push({ method, url, schema }));
  return { ...real, default: fastify };
});

interface Parameter {
  readonly required: boolean;
  readonly schema: unknown;
}
/** `METHOD /path/{param}` → its path and query parameters: what the document and the routes must agree on. */
type Operations = Record<string, { readonly path: Record<string, Parameter>; readonly query: Record<string, Parameter> }>;

interface DocumentParameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema: unknown;
}

type Paths = Readonly<Record<string, Readonly<Record<string, { readonly parameters?: readonly DocumentParameter[] }>>>>;

function documented(document: { readonly paths: object }): Operations {
  const operations: Operations = {};
  for (const [url, methods] of Object.entries(document.paths as Paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const params = (where: string): Record<string, Parameter> =>
        Object.fromEntries((operation.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, { required: p.required ?? false, schema: p.schema }]));
      operations[`${method.toUpperCase()} ${url}`] = { path: params('path'), query: params('query') };
    }
  }
  return operations;
}

interface ObjectSchema {
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
}

function served(routes: readonly Route[]): Operations {
  const params = (schema: unknown): Record<string, Parameter> => {
    const { properties = {}, required = [] } = (schema ?? {}) as ObjectSchema;
    return Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, { required: required.includes(name), schema: s }]));
  };
  return Object.fromEntries(
    routes
      // Fastify adds a HEAD route to every GET by itself; the document leaves HEAD implied.
      .filter((route) => route.method !== 'HEAD')
      .map((route) => [`${String(route.method)} ${route.url.replace(/:(\w+)/g, '{$1}')}`, { path: params(route.schema?.params), query: params(route.schema?.querystring) }]),
  );
}

/** The operations of a freshly built server, as Fastify registered them. */
async function registeredOperations(): Promise<Operations> {
  registered.length = 0;
  const app = await buildApiServer({ tenants: [], tokens: new BearerTokens({}), sourcePath: '/nonexistent', keyRing: () => { throw new Error('unused'); } });
  await app.ready();
  await app.close();
  return served(registered);
}

describe('OPENAPI_DOCUMENT', () => {
  it('describes exactly the routes the server registers, with their parameter schemas', async () => {
    const operations = await registeredOperations();
    await expect(Object.keys(operations).sort()).toEqual([
      'GET /',
      'GET /console/console.css',
      'GET /console/console.js',
      'GET /healthz',
      'GET /metrics',
      'GET /openapi.json',
      'GET /operator/overview',
      'GET /readyz',
      'GET /tenant/{tenant_id}',
      'GET /tenant/{tenant_id}/files',
      'GET /tenant/{tenant_id}/quarantine/{dataset}/{file}',
      'GET /tenant/{tenant_id}/rejections/{dataset}/{file}',
      'GET /whoami',
      'POST /upload-file/{tenant_id}',
    ]);
    await expect(documented(OPENAPI_DOCUMENT)).toEqual(operations);
  });

  it('would not match the routes with the pattern it once had for tenant_id', async () => {
    const drifted = structuredClone(OPENAPI_DOCUMENT) as unknown as { paths: Record<string, { get: { parameters: { schema: unknown }[] } }> };
    drifted.paths['/tenant/{tenant_id}']!.get.parameters[0]!.schema = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' };
    await expect(documented(drifted)).not.toEqual(await registeredOperations());
  });
});
