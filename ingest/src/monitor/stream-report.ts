import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { HttpError } from '../http/http-error';

/** What a stream instance reports every `stream.reportIntervalSeconds` (POST /reports). */
export interface StreamReport {
  readonly tenant: string;
  readonly dataset: string;
  /** Instance id (pod name or host:pid). */
  readonly instance: string;
  /** End of the report's window, ISO 8601. */
  readonly timestamp: string;
  readonly window_seconds: number;
  /** Raw messages consumed plus files picked up in the window. */
  readonly messages: number;
  /** Rows produced (accepted) in the window. */
  readonly rows: number;
  readonly bytes: number;
  /** Average / 95th percentile time to ingest one file or message batch, ms. */
  readonly avg_ingestion_ms: number;
  readonly p95_ingestion_ms: number;
  /** Files or message batches that failed, plus rejected rows. */
  readonly errors: number;
}

const count = { type: 'integer', minimum: 0 } as const;
const ms = { type: 'number', minimum: 0 } as const;
const name = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const STREAM_REPORT_SCHEMA = {
  $id: 'https://mysimbdp.io/schemas/stream-report.json',
  type: 'object',
  required: ['tenant', 'dataset', 'instance', 'timestamp', 'window_seconds', 'messages', 'rows', 'bytes', 'avg_ingestion_ms', 'p95_ingestion_ms', 'errors'],
  additionalProperties: false,
  properties: {
    tenant: { ...name, pattern: '^[A-Za-z0-9_-]+$' },
    dataset: name,
    instance: name,
    timestamp: { type: 'string', format: 'date-time' },
    window_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 86400 },
    messages: count,
    rows: count,
    bytes: count,
    avg_ingestion_ms: ms,
    p95_ingestion_ms: ms,
    errors: count,
  },
} as const;

const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile<StreamReport>(STREAM_REPORT_SCHEMA);

/** The body as a StreamReport, or a 400 naming every offending field (`field` is the first). */
export function parseStreamReport(body: unknown): StreamReport {
  if (validate(body)) return body;
  const problems = (validate.errors ?? []).map((e) => {
    const field = e.keyword === 'required' ? String(e.params.missingProperty) : e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const value = e.keyword === 'required' || e.instancePath === '' ? undefined : (body as Record<string, unknown>)[field];
    return { field: field === '' ? '(body)' : field, message: e.message ?? 'is invalid', ...(value === undefined ? {} : { value }) };
  });
  const first = problems[0] ?? { field: '(body)', message: 'is invalid' };
  throw new HttpError(400, 'invalid_report', `report field ${first.field} ${first.message}`, { field: first.field, problems });
}
