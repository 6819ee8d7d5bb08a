import { CLIENT_ID_MAX_LENGTH, CLIENT_ID_PATTERN } from '../../../infra/tenant/rules/client-id';
import { DNS_LABEL_PATTERN, TENANT_NAME_MAX_LENGTH } from '../../../infra/tenant/rules/dns-name';

// The upload API's request schemas, from the tenant contract's rules: Fastify validates requests
// with them and OPENAPI_DOCUMENT shows them, so the served document cannot drift from the routes.

/** A client id (infra/tenant/rules/client-id.ts). */
export const TENANT_ID_SCHEMA = { type: 'string', minLength: 2, maxLength: CLIENT_ID_MAX_LENGTH, pattern: CLIENT_ID_PATTERN.source } as const;

/** A dataset name (infra/tenant/rules/dns-name.ts). */
export const DATASET_NAME_SCHEMA = { type: 'string', minLength: 1, maxLength: TENANT_NAME_MAX_LENGTH, pattern: DNS_LABEL_PATTERN.source } as const;

export const TENANT_PARAMS = { type: 'object', required: ['tenant_id'], properties: { tenant_id: TENANT_ID_SCHEMA } } as const;

export const UPLOAD_QUERY = { type: 'object', properties: { dataset: DATASET_NAME_SCHEMA }, additionalProperties: false } as const;
