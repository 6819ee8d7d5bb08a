import * as fs from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Histogram } from 'prom-client';
import type { Tenant } from '../../../infra/tenant/types';
import { maxPlaintextFor } from '../crypto/encrypted-file';
import type { KeyRing } from '../crypto/key-ring';
import { createJsonServer, HttpError } from '../http/http-error';
import { createMetricsRegistry, metricsRoute } from '../http/metrics';
import { createLogger, errorFields, type Logger } from '../log';
import { stagingLayout } from '../staging/staging-layout';
import { authenticatedClient, BearerTokens, bearerToken, requireSameTenant } from './bearer-tokens';
import { consoleRoutes } from './console-assets';
import { openQuarantine, readRejections, tenantOutcomes } from './file-outcomes';
import type { IngestionLogSource } from './ingestion-log-access';
import type { DecisionsSource } from './monitor-decisions';
import { multipartError, partContent } from './multipart-body';
import { OPENAPI_DOCUMENT } from './openapi';
import { operatorOverview } from './operator-overview';
import { receiveUpload } from './receive-upload';
import { FILE_PARAMS, REJECTIONS_QUERY, TENANT_PARAMS, UPLOAD_QUERY } from './request-schemas';
import { datasetOf, listTenantFiles } from './tenant-files';
import { checkUploadName } from './upload-name';

export interface ApiServerOptions {
  readonly tenants: readonly Tenant[];
  readonly tokens: BearerTokens;
  /** Staging root (`SOURCE_PATH`). */
  readonly sourcePath: string;
  /** Key ring of a tenant whose agreement sets `encryption`; read per upload so rotations apply at once. */
  readonly keyRing: (client: string) => KeyRing;
  /** Operator tokens (the tokens file format: operator name → SHA-256 hex), for GET /operator/overview. @default none: no operator may sign in */
  readonly operatorTokens?: BearerTokens;
  /** Where files' figures and the operator view's come from. @default none: file states only */
  readonly ingestionLog?: IngestionLogSource;
  /** The monitor's decisions, for the operator view. @default none: the view says no monitor is configured */
  readonly decisions?: DecisionsSource;
  /** @default JSON lines on stderr */
  readonly log?: Logger;
}

/** Who a bearer token belongs to. */
export type Identity = { readonly role: 'tenant'; readonly tenant: Tenant } | { readonly role: 'operator'; readonly operator: string };

/** Rejected rows GET /tenant/{tenant_id}/rejections/… returns without `limit`. */
export const DEFAULT_REJECTIONS_LIMIT = 100;

/** The upload API (see OPENAPI_DOCUMENT); not yet listening. */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const log = options.log ?? createLogger({ component: 'api' });
  const app = createJsonServer({ bodyLimit: 1024 * 1024 }, log);
  const registry = createMetricsRegistry('api');
  const uploads = new Counter({ name: 'mysimbdp_api_uploads_total', help: 'Uploads by tenant and outcome (accepted or the refusal code)', labelNames: ['tenant', 'outcome'], registers: [registry] });
  const uploadBytes = new Counter({ name: 'mysimbdp_api_upload_bytes_total', help: 'Plaintext bytes accepted', labelNames: ['tenant'], registers: [registry] });
  const duration = new Histogram({ name: 'mysimbdp_api_upload_duration_seconds', help: 'Time to receive and store one upload', labelNames: ['tenant'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120], registers: [registry] });

  // preservePath: busboy would otherwise strip "../" silently; we refuse such names instead.
  await app.register(multipart, { preservePath: true, throwFileSizeLimit: false, limits: { files: 1, fields: 10, parts: 11, fieldSize: 4096 } });

  /**
   * 401 → 403 → 404, in that order: only a caller with a valid token learns whether a tenant exists.
   * Fastify's schema check runs before, so a malformed tenant_id is a 400 that never gets here: it
   * repeats the public client-id rule and tells nothing about tenants or tokens.
   */
  const authorize = (request: FastifyRequest<{ Params: { readonly tenant_id: string } }>): Tenant => {
    const client = authenticatedClient(options.tokens, request.headers.authorization);
    requireSameTenant(client, request.params.tenant_id);
    const tenant = options.tenants.find((t) => t.client === client);
    if (tenant === undefined) throw new HttpError(404, 'unknown_tenant', `tenant ${client} is not configured on this platform`);
    return tenant;
  };

  const operatorTokens = options.operatorTokens ?? new BearerTokens({}, 'operator tokens');

  /** A tenant's or an operator's token (tenants first); a 401 for neither, a 404 for a tenant not configured. */
  const identify = (header: string | undefined): Identity => {
    const token = bearerToken(header);
    const client = token === undefined ? undefined : options.tokens.authenticate(token);
    if (client !== undefined) {
      const tenant = options.tenants.find((t) => t.client === client);
      if (tenant === undefined) throw new HttpError(404, 'unknown_tenant', `tenant ${client} is not configured on this platform`);
      return { role: 'tenant', tenant };
    }
    return { role: 'operator', operator: authenticatedClient(operatorTokens, header) };
  };

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await fs.promises.mkdir(options.sourcePath, { recursive: true });
      await fs.promises.access(options.sourcePath, fs.constants.W_OK);
      return { status: 'ready', tenants: options.tenants.length };
    } catch (err) {
      return reply.code(503).send({ error: { code: 'not_ready', message: `staging root ${options.sourcePath} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})` } });
    }
  });
  app.get('/openapi.json', async () => OPENAPI_DOCUMENT);
  metricsRoute(app, registry);
  consoleRoutes(app);

  app.get('/whoami', async (request) => {
    const who = identify(request.headers.authorization);
    if (who.role === 'operator') return { role: 'operator', operator: who.operator };
    return {
      role: 'tenant',
      tenant: who.tenant.client,
      datasets: who.tenant.datasets.map((d) => ({ name: d.name, file_types: d.fileTypes, max_file_size_bytes: d.maxFileSizeBytes })),
    };
  });

  app.get('/operator/overview', async (request) => {
    if (identify(request.headers.authorization).role !== 'operator') throw new HttpError(403, 'forbidden', 'the operator view needs an operator token, not a tenant token');
    return operatorOverview({ sourcePath: options.sourcePath, tenants: options.tenants, log: options.ingestionLog, decisions: options.decisions });
  });

  app.get<{ Params: { tenant_id: string } }>('/tenant/:tenant_id/files', { schema: { params: TENANT_PARAMS } }, async (request) => {
    return tenantOutcomes(options.sourcePath, authorize(request), options.ingestionLog);
  });

  type FileRequest = { Params: { tenant_id: string; dataset: string; file: string }; Querystring: { limit?: number } };
  const quarantineOf = (request: FastifyRequest<FileRequest>) => {
    const tenant = authorize(request);
    const dataset = datasetOf(tenant, request.params.dataset);
    return { tenant, dataset, open: () => openQuarantine(options.sourcePath, tenant, dataset, request.params.file, options.keyRing) };
  };
  app.get<FileRequest>('/tenant/:tenant_id/rejections/:dataset/:file', { schema: { params: FILE_PARAMS, querystring: REJECTIONS_QUERY } }, async (request) => {
    const { tenant, dataset, open } = quarantineOf(request);
    const { rows, truncated } = await readRejections(await open(), request.query.limit ?? DEFAULT_REJECTIONS_LIMIT);
    return { tenant: tenant.client, dataset: dataset.name, file: request.params.file, rows, truncated };
  });
  app.get<FileRequest>('/tenant/:tenant_id/quarantine/:dataset/:file', { schema: { params: FILE_PARAMS } }, async (request, reply) => {
    const stream = await quarantineOf(request).open();
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${request.params.file}.rejected.jsonl"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });

  app.get<{ Params: { tenant_id: string } }>('/tenant/:tenant_id', { schema: { params: TENANT_PARAMS } }, async (request) => {
    const tenant = authorize(request);
    return { tenant: tenant.client, files: await listTenantFiles(options.sourcePath, tenant) };
  });

  app.post<{ Params: { tenant_id: string }; Querystring: { dataset?: string } }>(
    '/upload-file/:tenant_id',
    { schema: { params: TENANT_PARAMS, querystring: UPLOAD_QUERY } },
    async (request, reply) => {
      const tenant = authorize(request);
      const started = process.hrtime.bigint();
      const refuse = (err: unknown): never => {
        uploads.inc({ tenant: tenant.client, outcome: err instanceof HttpError ? err.code : 'error' });
        log.warn('upload refused', { tenant: tenant.client, ...errorFields(err), ...(err instanceof HttpError ? { status: err.statusCode } : {}) });
        throw err;
      };
      try {
        const dataset = datasetOf(tenant, request.query.dataset);
        if (!request.isMultipart()) throw new HttpError(415, 'not_multipart', 'send the file as multipart/form-data in a part named "file"');
        const part = await request.file({ limits: { fileSize: dataset.maxFileSizeBytes + 1 } }).catch((err: unknown) => {
          throw multipartError(err);
        });
        if (part === undefined) throw new HttpError(400, 'missing_file', 'the request has no file part; send it in a part named "file"');
        if (part.fieldname !== 'file') {
          part.file.resume();
          throw new HttpError(400, 'missing_file', `the file part is named ${JSON.stringify(part.fieldname)}; name it "file"`);
        }
        const { name, fileType } = checkUploadName(part.filename, dataset);
        const keys = tenant.agreement.encryption ? options.keyRing(tenant.client) : undefined;
        const stored = await receiveUpload(partContent(part.file), {
          layout: stagingLayout(options.sourcePath, tenant.client, dataset),
          name,
          fileType,
          // Stored encrypted, the file must still pass the batch's size check on the stored bytes.
          maxBytes: keys === undefined ? dataset.maxFileSizeBytes : maxPlaintextFor(dataset.maxFileSizeBytes, keys),
          ...(keys === undefined ? {} : { keys }),
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        uploads.inc({ tenant: tenant.client, outcome: 'accepted' });
        uploadBytes.inc({ tenant: tenant.client }, stored.bytes);
        duration.observe({ tenant: tenant.client }, seconds);
        log.info('upload stored', { tenant: tenant.client, dataset: dataset.name, file: name, bytes: stored.bytes, sha256: stored.sha256, encrypted: stored.encrypted, duration_ms: Math.round(seconds * 1000) });
        return reply
          .code(201)
          .header('location', `/tenant/${encodeURIComponent(tenant.client)}`)
          .send({ tenant: tenant.client, dataset: dataset.name, file: name, bytes: stored.bytes, sha256: stored.sha256, encrypted: stored.encrypted, state: 'waiting' });
      } catch (err) {
        return refuse(err);
      }
    },
  );
  return app;
}
