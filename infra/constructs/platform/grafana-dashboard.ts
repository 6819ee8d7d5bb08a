import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { platformLabels } from '../common/labels';
import { requireDnsLabel } from './platform-validation';

export interface GrafanaDashboardProps {
  /** Namespace of the ConfigMap (Grafana's sidecar searches all namespaces). */
  readonly namespace: string;
  /** @default "mysimbdp-grafana-dashboard" */
  readonly name?: string;
}

/**
 * Metric names the dashboard reads. The runtime (prom-client) exports the `mysimbdp_*` ones with
 * labels `tenant` and `dataset`; `kafka_consumergroup_lag` comes from Strimzi's Kafka Exporter,
 * whose `consumergroup` label is `<client>.sink.<dataset>` for sinks.
 */
export const DASHBOARD_METRICS = {
  /** Counter, labels tenant, dataset, outcome = ok | rejected. */
  rows: 'mysimbdp_rows_total',
  /** Counter, labels tenant, dataset, outcome = archived | failed | refused. */
  files: 'mysimbdp_files_total',
  /** Histogram (seconds), labels tenant, dataset: time to handle one file. */
  fileDuration: 'mysimbdp_file_duration_seconds',
  /** Counter, labels tenant, dataset: rows the sink wrote to Cassandra. */
  sinkRows: 'mysimbdp_sink_rows_written_total',
  /** Gauge from Kafka Exporter, labels consumergroup, topic, partition. */
  consumerLag: 'kafka_consumergroup_lag',
} as const;

interface Panel {
  readonly id: number;
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
}

const T = 'tenant=~"$tenant"';
// Sink consumer groups are `<client>.sink.<dataset>`; the tenant is the part before the first dot.
const LAG = `label_replace(${DASHBOARD_METRICS.consumerLag}{consumergroup=~".+\\\\.sink\\\\..+"}, "tenant", "$1", "consumergroup", "([^.]+)\\\\..*")`;

const PANELS: readonly Panel[] = [
  {
    id: 1,
    title: 'Rows ingested (ok) per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${DASHBOARD_METRICS.rows}{outcome="ok",${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
  {
    id: 2,
    title: 'Rows rejected per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${DASHBOARD_METRICS.rows}{outcome="rejected",${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
  {
    id: 3,
    title: 'Rejected share per tenant',
    type: 'stat',
    unit: 'percentunit',
    targets: [
      {
        expr: `sum by (tenant) (increase(${DASHBOARD_METRICS.rows}{outcome="rejected",${T}}[1h])) / clamp_min(sum by (tenant) (increase(${DASHBOARD_METRICS.rows}{${T}}[1h])), 1)`,
        legendFormat: '{{tenant}}',
      },
    ],
  },
  {
    id: 4,
    title: 'File ingestion time p50 / p95',
    type: 'timeseries',
    unit: 's',
    targets: [
      { expr: `histogram_quantile(0.5, sum by (tenant, le) (rate(${DASHBOARD_METRICS.fileDuration}_bucket{${T}}[15m])))`, legendFormat: '{{tenant}} p50' },
      { expr: `histogram_quantile(0.95, sum by (tenant, le) (rate(${DASHBOARD_METRICS.fileDuration}_bucket{${T}}[15m])))`, legendFormat: '{{tenant}} p95' },
    ],
  },
  {
    id: 5,
    title: 'Files per outcome (1h)',
    type: 'timeseries',
    unit: 'short',
    targets: [{ expr: `sum by (tenant, outcome) (increase(${DASHBOARD_METRICS.files}{${T}}[1h]))`, legendFormat: '{{tenant}} {{outcome}}' }],
  },
  {
    id: 6,
    title: 'Sink lag (messages behind) per tenant',
    type: 'timeseries',
    unit: 'short',
    targets: [{ expr: `sum by (tenant) (${LAG})`, legendFormat: '{{tenant}}' }],
  },
  {
    id: 7,
    title: 'Rows written to Cassandra per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${DASHBOARD_METRICS.sinkRows}{${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
];

/** The dashboard JSON (Grafana schema 39), two panels a row. */
export function dashboardJson(): Record<string, unknown> {
  return {
    uid: 'mysimbdp-ingestion',
    title: 'mysimbdp ingestion',
    tags: ['mysimbdp'],
    schemaVersion: 39,
    timezone: 'utc',
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', current: {} },
        {
          name: 'tenant',
          type: 'query',
          datasource: { type: 'prometheus', uid: '${datasource}' },
          query: `label_values(${DASHBOARD_METRICS.rows}, tenant)`,
          includeAll: true,
          multi: true,
          allValue: '.*',
          refresh: 2,
        },
      ],
    },
    panels: PANELS.map((p, i) => ({
      id: p.id,
      title: p.title,
      type: p.type,
      datasource: { type: 'prometheus', uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: {},
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat })),
    })),
  };
}

/** The dashboard as a ConfigMap labelled `grafana_dashboard: "1"` for Grafana's dashboard sidecar. */
export class GrafanaDashboard extends Construct {
  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    const name = props.name ?? 'mysimbdp-grafana-dashboard';
    requireDnsLabel('GrafanaDashboard', 'name', name);
    requireDnsLabel('GrafanaDashboard', 'namespace', props.namespace);
    new k8s.KubeConfigMap(this, 'dashboard', {
      metadata: { name, namespace: props.namespace, labels: { ...platformLabels('monitoring'), grafana_dashboard: '1' } },
      data: { 'mysimbdp-ingestion.json': JSON.stringify(dashboardJson(), null, 2) },
    });
  }
}
