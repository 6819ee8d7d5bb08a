import { MAX_PARAM_LENGTH } from '../http/http-error';
import { DATASET_NAME_SCHEMA, FILE_NAME_SCHEMA, REJECTIONS_QUERY, TENANT_ID_SCHEMA } from './request-schemas';

/** The upload API's OpenAPI 3.1 document, served at /openapi.json. */
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
// The router refuses a path parameter over its length limit before any schema check, also with a 400.
const paramRefusal = `A parameter breaking its schema or longer than ${MAX_PARAM_LENGTH} characters, or a malformed URL`;
const tenantParam = { name: 'tenant_id', in: 'path', required: true, schema: TENANT_ID_SCHEMA, description: 'Client id, e.g. client_a' };
const fileParams = [
  tenantParam,
  { name: 'dataset', in: 'path', required: true, schema: DATASET_NAME_SCHEMA, description: 'Dataset name' },
  { name: 'file', in: 'path', required: true, schema: FILE_NAME_SCHEMA, description: 'File name as uploaded' },
];
const json = (ref: string, description: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const tenantErrors = {
  400: errorResponse(paramRefusal),
  401: errorResponse('No bearer token, or an unknown one'),
  403: errorResponse('The token belongs to another tenant'),
  404: errorResponse('Tenant not configured'),
};
const logStatus = {
  type: 'object',
  required: ['available'],
  properties: { available: { type: 'boolean' }, error: { type: 'string', description: 'Why the figures are missing (e.g. Cassandra unreachable)' } },
};
const figures = {
  type: ['object', 'null'],
  description: 'What `mysimbdp stats --format json` shows; null when the ingestion log could not be read',
  required: ['client', 'files', 'files_failed', 'rows_ok', 'rows_rejected', 'rows_deduplicated', 'bytes'],
  properties: {
    client: { type: 'string' },
    files: { type: 'integer' },
    files_failed: { type: 'integer' },
    rows_ok: { type: 'integer' },
    rows_rejected: { type: 'integer' },
    rows_deduplicated: { type: 'integer' },
    bytes: { type: 'integer' },
    rows_per_second: { type: 'number' },
    p50_file_ms: { type: ['integer', 'null'] },
    p95_file_ms: { type: ['integer', 'null'] },
    quality: { type: 'object', additionalProperties: { type: 'integer' } },
  },
};
const FILE_STATES = ['waiting', 'processing', 'archived', 'failed', 'refused'];
/** A file in the staging area (GET /tenant/{tenant_id}); /files adds its ingestion-log row. */
const stagedFile = {
  type: 'object',
  required: ['dataset', 'name', 'state', 'bytes', 'modified'],
  properties: {
    dataset: { type: 'string' },
    name: { type: 'string' },
    state: { enum: FILE_STATES },
    bytes: { type: 'integer' },
    modified: { type: 'string', format: 'date-time' },
    reason: { description: 'Why a failed/refused file was not ingested (from its reason file)' },
  },
};
/** One of the console's own files, served without a token. */
const consoleAsset = (summary: string, description: string, type: string) => ({
  get: { summary, security: [], responses: { 200: { description, content: { [type]: { schema: { type: 'string' } } } }, 304: { description: 'Unchanged (If-None-Match)' } } },
});

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'mysimbdp upload API',
    version: '1.0.0',
    description:
      'Tenants upload data files into their staging folder; the stream/batch ingestion picks them up. ' +
      'Authentication: `Authorization: Bearer <token>`; the server keeps only SHA-256 digests of tokens. ' +
      'Order of checks: 400 (a parameter breaking its schema, such as a tenant_id that is not a client id) before 401 (no or unknown token) ' +
      'before 403 (token of another tenant) before 404 (tenant not configured), so callers without a valid token learn nothing about which tenants exist: ' +
      'the schemas are public and a 400 only repeats them.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string', examples: ['file_too_large'] }, message: { type: 'string' } },
            additionalProperties: true,
          },
        },
      },
      Upload: {
        type: 'object',
        required: ['tenant', 'dataset', 'file', 'bytes', 'sha256', 'encrypted', 'state'],
        properties: {
          tenant: { type: 'string' },
          dataset: { type: 'string' },
          file: { type: 'string' },
          bytes: { type: 'integer' },
          sha256: { type: 'string' },
          encrypted: { type: 'boolean', description: 'Stored AES-256-GCM encrypted (agreement `encryption: true`)' },
          state: { const: 'waiting' },
        },
      },
      TenantFiles: {
        type: 'object',
        required: ['tenant', 'files'],
        properties: {
          tenant: { type: 'string' },
          files: {
            type: 'array',
            items: stagedFile,
          },
        },
      },
      FileOutcomes: {
        type: 'object',
        required: ['tenant', 'ingestion_log', 'files'],
        properties: {
          tenant: { type: 'string' },
          ingestion_log: logStatus,
          files: {
            type: 'array',
            items: {
              ...stagedFile,
              properties: {
                ...stagedFile.properties,
                ingestion: {
                  type: 'object',
                  description: "The file's ingestion-log row, once a run handled it",
                  required: ['outcome', 'started_at', 'duration_ms', 'rows_ok', 'rows_rejected', 'rows_deduplicated', 'quality', 'quarantine'],
                  properties: {
                    outcome: { enum: ['archived', 'failed', 'refused', 'skipped'] },
                    started_at: { type: 'string', format: 'date-time' },
                    duration_ms: { type: 'integer' },
                    rows_ok: { type: 'integer' },
                    rows_rejected: { type: 'integer' },
                    rows_deduplicated: { type: 'integer' },
                    quality: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Rejected rows per quality rule or reason' },
                    reason: { type: 'string' },
                    quarantine: { type: 'boolean', description: 'Its rejected rows are kept (rejections, quarantine)' },
                  },
                },
              },
            },
          },
        },
      },
      Rejections: {
        type: 'object',
        required: ['tenant', 'dataset', 'file', 'rows', 'truncated'],
        properties: {
          tenant: { type: 'string' },
          dataset: { type: 'string' },
          file: { type: 'string' },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              required: ['record', 'reason', 'rule'],
              properties: { record: { type: 'integer' }, reason: { type: 'string' }, rule: { type: 'string' }, field: { type: ['string', 'null'] }, value: {}, raw: {} },
            },
          },
          truncated: { type: 'boolean', description: 'More rows are in the quarantine file' },
        },
      },
      Identity: {
        type: 'object',
        required: ['role'],
        properties: {
          role: { enum: ['tenant', 'operator'] },
          tenant: { type: 'string' },
          operator: { type: 'string' },
          datasets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'file_types', 'max_file_size_bytes'],
              properties: { name: { type: 'string' }, file_types: { type: 'array', items: { type: 'string' } }, max_file_size_bytes: { type: 'integer' } },
            },
          },
        },
      },
      OperatorOverview: {
        type: 'object',
        required: ['ingestion_log', 'platform', 'tenants', 'decisions'],
        properties: {
          ingestion_log: logStatus,
          platform: figures,
          tenants: {
            type: 'array',
            items: {
              type: 'object',
              required: ['client', 'staging', 'figures'],
              properties: {
                client: { type: 'string' },
                staging: { type: 'object', description: 'Files in the staging area by state', additionalProperties: { type: 'integer' } },
                figures,
              },
            },
          },
          decisions: {
            type: 'object',
            required: ['available', 'recent'],
            properties: {
              available: { type: 'boolean' },
              error: { type: 'string' },
              recent: { type: 'array', description: "The monitor's newest decisions, newest first", items: { type: 'object' } },
            },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/upload-file/{tenant_id}': {
      post: {
        summary: 'Upload one data file into the tenant staging folder',
        parameters: [tenantParam, { name: 'dataset', in: 'query', required: false, schema: DATASET_NAME_SCHEMA, description: "Dataset name; default the tenant's first dataset" }],
        requestBody: {
          required: true,
          content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } },
        },
        responses: {
          201: json('Upload', 'Stored in in/, waiting for ingestion'),
          ...tenantErrors,
          400: errorResponse(`${paramRefusal}; no \`file\` part, or a malformed request`),
          404: errorResponse('Tenant or dataset not configured'),
          409: errorResponse('A file of that name is waiting or processing'),
          413: errorResponse("Larger than the dataset's max_file_size_mb"),
          415: errorResponse('Not multipart, a file type the dataset does not accept, or binary content'),
          422: errorResponse('Filename not a plain name (folders, "..", leading ".", other characters, > 128 characters)'),
          507: errorResponse('The staging area is full: nothing of the upload was kept; retry later'),
        },
      },
    },
    '/tenant/{tenant_id}': {
      get: {
        summary: "The tenant's files and their ingestion state",
        parameters: [tenantParam],
        responses: { 200: json('TenantFiles', 'Files, newest first'), ...tenantErrors },
      },
    },
    '/tenant/{tenant_id}/files': {
      get: {
        summary: "The tenant's files, their states and, once handled, their ingestion-log figures (rows ok/rejected/de-duplicated, duration, quality rule counts)",
        parameters: [tenantParam],
        responses: { 200: json('FileOutcomes', 'Files, newest first'), ...tenantErrors },
      },
    },
    '/tenant/{tenant_id}/rejections/{dataset}/{file}': {
      get: {
        summary: "A file's first rejected rows with their reasons",
        parameters: [...fileParams, { name: 'limit', in: 'query', required: false, schema: REJECTIONS_QUERY.properties.limit, description: 'Rows at most; default 100' }],
        responses: { 200: json('Rejections', 'Rejected rows, in file order'), ...tenantErrors, 404: errorResponse('Tenant or dataset not configured, or no rejected rows kept for the file') },
      },
    },
    '/tenant/{tenant_id}/quarantine/{dataset}/{file}': {
      get: {
        summary: "Download a file's quarantine: every rejected row as a JSON line with its reason",
        parameters: fileParams,
        responses: {
          200: { description: 'JSON lines (`<file>.rejected.jsonl`)', content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
          ...tenantErrors,
          404: errorResponse('Tenant or dataset not configured, or no rejected rows kept for the file'),
        },
      },
    },
    '/whoami': {
      get: {
        summary: 'Whose token this is: a tenant (with its datasets and limits) or an operator',
        responses: { 200: json('Identity', 'The role'), 401: errorResponse('No bearer token, or an unknown one'), 404: errorResponse('Tenant not configured') },
      },
    },
    '/operator/overview': {
      get: {
        summary: "Every tenant's figures, the platform totals and the monitor's recent decisions (operator token)",
        responses: {
          200: json('OperatorOverview', 'The overview'),
          401: errorResponse('No bearer token, or an unknown one'),
          403: errorResponse('A tenant token'),
          404: errorResponse("A tenant token of a tenant not configured"),
        },
      },
    },
    '/': consoleAsset('The tenant and operator console (docs/console.md)', 'The page', 'text/html'),
    '/console/console.css': consoleAsset("The console's style sheet", 'CSS', 'text/css'),
    '/console/console.js': consoleAsset("The console's script", 'JavaScript', 'text/javascript'),
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'Alive' } } } },
    '/readyz': { get: { summary: 'Readiness: staging root writable', security: [], responses: { 200: { description: 'Ready' }, 503: errorResponse('Not ready') } } },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'text/plain exposition format' } } } },
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
  },
} as const;
