import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { createMetricsRegistry } from '../http/metrics';

type Labels = 'tenant' | 'dataset';

/** Prometheus figures of one sink process. */
export interface SinkMetrics {
  readonly registry: Registry;
  /** Rows by result: written, deduplicated (an older version in the same flush), dlq. */
  readonly rows: Counter<Labels | 'result'>;
  readonly flushDuration: Histogram<Labels | 'outcome'>;
  /** Messages behind the partition's high watermark after the last flush. */
  readonly lag: Gauge<Labels | 'partition'>;
  /** Flushes repeated after a transient failure. */
  readonly retries: Counter<Labels>;
}

export function createSinkMetrics(registry: Registry = createMetricsRegistry('sink')): SinkMetrics {
  return {
    registry,
    rows: new Counter({ name: 'mysimbdp_sink_rows_total', help: 'Rows handled by the sink, by result: written, deduplicated, dlq', labelNames: ['tenant', 'dataset', 'result'], registers: [registry] }),
    flushDuration: new Histogram({
      name: 'mysimbdp_sink_flush_duration_seconds',
      help: 'Time to decode, write and commit one Kafka batch',
      labelNames: ['tenant', 'dataset', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    lag: new Gauge({ name: 'mysimbdp_sink_lag_messages', help: 'Messages not yet consumed, per partition', labelNames: ['tenant', 'dataset', 'partition'], registers: [registry] }),
    retries: new Counter({ name: 'mysimbdp_sink_flush_retries_total', help: 'Flushes repeated after a transient failure', labelNames: ['tenant', 'dataset'], registers: [registry] }),
  };
}
