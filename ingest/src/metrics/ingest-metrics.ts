import { Counter, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../http/metrics';

/** Ingestion figures of batch and stream, labelled by tenant and dataset (and outcome/rule where it helps). */
export interface IngestMetrics {
  readonly registry: Registry;
  readonly rows: Counter<'tenant' | 'dataset' | 'result'>;
  readonly rejectedByRule: Counter<'tenant' | 'dataset' | 'rule'>;
  readonly files: Counter<'tenant' | 'dataset' | 'outcome'>;
  readonly bytes: Counter<'tenant' | 'dataset'>;
  readonly fileDuration: Histogram<'tenant' | 'dataset' | 'outcome'>;
}

/** The ingestion metrics on `registry` (one per process or test: never prom-client's global one). */
export function createIngestMetrics(registry: Registry = createMetricsRegistry('ingest')): IngestMetrics {
  return {
    registry,
    rows: new Counter({ name: 'mysimbdp_ingest_rows_total', help: 'Rows ingested, by result: ok, rejected, deduplicated', labelNames: ['tenant', 'dataset', 'result'], registers: [registry] }),
    rejectedByRule: new Counter({ name: 'mysimbdp_ingest_rejected_rows_by_rule_total', help: 'Rows failing each rule (parse, schema, or a quality rule)', labelNames: ['tenant', 'dataset', 'rule'], registers: [registry] }),
    files: new Counter({ name: 'mysimbdp_ingest_files_total', help: 'Files handled, by outcome', labelNames: ['tenant', 'dataset', 'outcome'], registers: [registry] }),
    bytes: new Counter({ name: 'mysimbdp_ingest_bytes_total', help: 'Bytes of the files ingested', labelNames: ['tenant', 'dataset'], registers: [registry] }),
    fileDuration: new Histogram({
      name: 'mysimbdp_ingest_file_duration_seconds',
      help: 'Time to handle one file',
      labelNames: ['tenant', 'dataset', 'outcome'],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
  };
}
