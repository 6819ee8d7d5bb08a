import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
// Per-kind module: the package index would load (and compile validators for) every model.
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { Tenant } from '../../tenant/types';
import { platformLabels } from '../common/labels';
import { requireDnsLabel } from './platform-validation';

/** Series the rules read, as the monitor (ingest/src/monitor/monitor-server.ts) exports them; a test checks the names. */
export const ALERT_METRICS = {
  /** Counter, labels tenant, dataset, action (scale_up | scale_down | alert), outcome. */
  decisions: 'mysimbdp_monitor_decisions_total',
  /** Counter, labels tenant, dataset: stream reports received. */
  reports: 'mysimbdp_monitor_reports_total',
  /** Gauge, labels tenant, dataset: average ingestion time over the monitor window. */
  avgIngestionMs: 'mysimbdp_stream_avg_ingestion_ms',
  /** Gauge, labels tenant, dataset: rows/s over the monitor window. */
  rowsPerSecond: 'mysimbdp_stream_rows_per_second',
} as const;

/** Missed report intervals that make a stream silent: the monitor's own SILENT_INTERVALS (a test checks they agree). */
export const SILENT_INTERVALS = 3;

export interface PlatformAlertsProps {
  /** Namespace of the rule (the platform namespace). */
  readonly namespace: string;
  /** Tenants whose agreements set the thresholds (`stream` settings). */
  readonly tenants: readonly Tenant[];
  /** How long a threshold must be crossed before its alert fires. @default "2m" */
  readonly for?: string;
  /** Shortest range a rate or silence is judged over: at least a few scrapes (PlatformMonitoring scrapes every 30s). @default 120 */
  readonly minRangeSeconds?: number;
}

const DURATION = /^(\d+(ms|s|m|h))+$/;

/**
 * The monitor's decisions as Prometheus alerts (prometheus-operator `PrometheusRule`
 * `mysimbdp-alerts`), so they reach Alertmanager like any other alert:
 * - group `mysimbdp-monitor`: every `alert` decision of the monitor (errors, too slow at maxReplicas,
 *   silence), whatever the tenant;
 * - group `mysimbdp-tenant-<client>` per tenant, from its agreement's `stream` thresholds:
 *   average ingestion time above `max_avg_ingestion_ms`, rows/s below `min_rows_per_second` while
 *   there is work (only when set), and no report for SILENT_INTERVALS report intervals.
 * Every alert carries the series' `tenant` and `dataset` labels, and `severity`.
 */
export class PlatformAlerts extends Construct {
  constructor(scope: Construct, id: string, props: PlatformAlertsProps) {
    super(scope, id);
    requireDnsLabel('PlatformAlerts', 'namespace', props.namespace);
    const forDuration = props.for ?? '2m';
    if (!DURATION.test(forDuration)) throw new Error(`PlatformAlerts: for must be a Prometheus duration (e.g. 2m), got ${JSON.stringify(forDuration)}`);
    const minRange = props.minRangeSeconds ?? 120;
    if (!Number.isInteger(minRange) || minRange < 1) throw new Error(`PlatformAlerts: minRangeSeconds must be an integer >= 1, got ${JSON.stringify(minRange)}`);
    const M = ALERT_METRICS;

    const tenantGroups = props.tenants.map((tenant) => {
      const { stream } = tenant.agreement;
      const series = (metric: string): string => `${metric}{tenant="${tenant.client}"}`;
      const silence = Math.max(SILENT_INTERVALS * stream.reportIntervalSeconds, minRange);
      return {
        name: `mysimbdp-tenant-${tenant.client}`,
        rules: [
          {
            alert: 'MysimbdpStreamSlow',
            expr: `${series(M.avgIngestionMs)} > ${stream.maxAvgIngestionMs}`,
            for: forDuration,
            labels: { severity: 'warning' },
            annotations: {
              summary: `{{ $labels.tenant }}/{{ $labels.dataset }}: average ingestion {{ $value }} ms > max_avg_ingestion_ms ${stream.maxAvgIngestionMs}`,
            },
          },
          ...(stream.minRowsPerSecond > 0
            ? [
                {
                  alert: 'MysimbdpStreamThroughputLow',
                  // `> 0`: only while there is work, as the monitor's rule
                  expr: `${series(M.rowsPerSecond)} < ${stream.minRowsPerSecond} > 0`,
                  for: forDuration,
                  labels: { severity: 'warning' },
                  annotations: { summary: `{{ $labels.tenant }}/{{ $labels.dataset }}: {{ $value }} rows/s < min_rows_per_second ${stream.minRowsPerSecond}` },
                },
              ]
            : []),
          {
            alert: 'MysimbdpStreamSilent',
            expr: `increase(${series(M.reports)}[${silence}s]) == 0`,
            labels: { severity: 'warning' },
            annotations: { summary: `{{ $labels.tenant }}/{{ $labels.dataset }}: no stream report for ${silence} s (report interval ${stream.reportIntervalSeconds} s)` },
          },
        ],
      };
    });

    const rule = new PrometheusRule({
      metadata: { name: 'mysimbdp-alerts', namespace: props.namespace, labels: platformLabels('monitoring') },
      spec: {
        groups: [
          {
            name: 'mysimbdp-monitor',
            rules: [
              {
                alert: 'MysimbdpMonitorAlert',
                expr: `sum by (tenant, dataset) (increase(${M.decisions}{action="alert"}[${Math.max(300, minRange)}s])) > 0`,
                labels: { severity: 'warning' },
                annotations: {
                  summary: '{{ $labels.tenant }}/{{ $labels.dataset }}: the stream monitor raised an alert',
                  description: "The reason is in the monitor's decision log (GET /decisions with the tenant's report token, or its DECISION_LOG file).",
                },
              },
            ],
          },
          ...tenantGroups,
        ],
      },
    });
    rule.validate();
    new ApiObject(this, 'rule', rule.toJSON() as never);
  }
}
