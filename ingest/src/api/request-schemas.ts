import { CLIENT_ID_MAX_LENGTH, CLIENT_ID_PATTERN } from '../../../infra/tenant/rules/client-id';
import { DNS_LABEL_PATTERN, TENANT_NAME_MAX_LENGTH } from '../../../infra/tenant/rules/dns-name';
import { MAX_PARAM_LENGTH } from '../http/http-error';
import { UPLOAD_NAME } from './upload-name';

// The upload API's request schemas, from the tenant contract's rules: Fastify validates requests
// with them and OPENAPI_DOCUMENT shows them, so the served document cannot drift from the routes.

/** A client id (infra/tenant/rules/client-id.ts). */
export const TENANT_ID_SCHEMA = { type: 'string', minLength: 2, maxLength: CLIENT_ID_MAX_LENGTH, pattern: CLIENT_ID_PATTERN.source } as const;

/** A dataset name (infra/tenant/rules/dns-name.ts). */
export const DATASET_NAME_SCHEMA = { type: 'string', minLength: 1, maxLength: TENANT_NAME_MAX_LENGTH, pattern: DNS_LABEL_PATTERN.source } as const;

export const TENANT_PARAMS = { type: 'object', required: ['tenant_id'], properties: { tenant_id: TENANT_ID_SCHEMA } } as const;

export const UPLOAD_QUERY = { type: 'object', properties: { dataset: DATASET_NAME_SCHEMA }, additionalProperties: false } as const;

/**
 * A staged file's name in a path: what an upload may be named (upload-name.ts), no longer than the
 * longest path parameter the router matches.
 */
export const FILE_NAME_SCHEMA = { type: 'string', minLength: 1, maxLength: MAX_PARAM_LENGTH - 1, pattern: UPLOAD_NAME.source } as const;

export const FILE_PARAMS = {
  type: 'object',
  required: ['tenant_id', 'dataset', 'file'],
  properties: { tenant_id: TENANT_ID_SCHEMA, dataset: DATASET_NAME_SCHEMA, file: FILE_NAME_SCHEMA },
} as const;

/** Most rejected rows one request returns; the quarantine download has them all. */
export const MAX_REJECTIONS_LIMIT = 1000;

export const REJECTIONS_QUERY = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_REJECTIONS_LIMIT } }, additionalProperties: false } as const;
