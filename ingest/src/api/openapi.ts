import { MAX_PARAM_LENGTH } from '../http/http-error';
import { DATASET_NAME_SCHEMA, TENANT_ID_SCHEMA } from './request-schemas';

/** The upload API's OpenAPI 3.1 document, served at /openapi.json. */
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
// The router refuses a path parameter over its length limit before any schema check.
const tooLong = errorResponse(`tenant_id longer than the router accepts (${MAX_PARAM_LENGTH} characters)`);
const tenantParam = { name: 'tenant_id', in: 'path', required: true, schema: TENANT_ID_SCHEMA, description: 'Client id, e.g. client_a' };

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
            items: {
              type: 'object',
              required: ['dataset', 'name', 'state', 'bytes', 'modified'],
              properties: {
                dataset: { type: 'string' },
                name: { type: 'string' },
                state: { enum: ['waiting', 'processing', 'archived', 'failed', 'refused'] },
                bytes: { type: 'integer' },
                modified: { type: 'string', format: 'date-time' },
                reason: { description: 'Why a failed/refused file was not ingested (from its reason file)' },
              },
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
          201: { description: 'Stored in in/, waiting for ingestion', content: { 'application/json': { schema: { $ref: '#/components/schemas/Upload' } } } },
          400: errorResponse('A parameter breaking its schema, a malformed URL, no `file` part, or a malformed request'),
          401: errorResponse('No bearer token, or an unknown one'),
          403: errorResponse("The token belongs to another tenant"),
          404: errorResponse('Tenant or dataset not configured'),
          409: errorResponse('A file of that name is waiting or processing'),
          413: errorResponse("Larger than the dataset's max_file_size_mb"),
          414: tooLong,
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
        responses: {
          200: { description: 'Files, newest first', content: { 'application/json': { schema: { $ref: '#/components/schemas/TenantFiles' } } } },
          400: errorResponse('A parameter breaking its schema, or a malformed URL'),
          401: errorResponse('No bearer token, or an unknown one'),
          403: errorResponse('The token belongs to another tenant'),
          404: errorResponse('Tenant not configured'),
          414: tooLong,
        },
      },
    },
    '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: { description: 'Alive' } } } },
    '/readyz': { get: { summary: 'Readiness: staging root writable', security: [], responses: { 200: { description: 'Ready' }, 503: errorResponse('Not ready') } } },
    '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'text/plain exposition format' } } } },
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
  },
} as const;
