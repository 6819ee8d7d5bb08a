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
 * Metric names the dashboard reads: the runtime's (prom-client, ingest/src/metrics, sink, api,
 * monitor; labels `tenant` and `dataset`) and Kafka Exporter's consumer lag, whose `consumergroup`
 * label is `<client>.sink.<dataset>` for sinks. A test checks each runtime name against the runtime.
 */
export const DASHBOARD_METRICS = {
  /** Counter, label result = ok | rejected | deduplicated. */
  rows: 'mysimbdp_ingest_rows_total',
  /** Counter, label rule. */
  rejectedByRule: 'mysimbdp_ingest_rejected_rows_by_rule_total',
  /** Counter, label outcome = archived | failed | refused. */
  files: 'mysimbdp_ingest_files_total',
  /** Histogram (seconds): time to handle one file. */
  fileDuration: 'mysimbdp_ingest_file_duration_seconds',
  /** Counter, label result = written | deduplicated | dlq. */
  sinkRows: 'mysimbdp_sink_rows_total',
  /** Gauge per partition: messages the sink has not consumed yet. */
  sinkLag: 'mysimbdp_sink_lag_messages',
  /** Counter, label outcome = accepted | the refusal code. */
  uploads: 'mysimbdp_api_uploads_total',
  /** Gauge: stream rows/s as the monitor sees it. */
  streamRate: 'mysimbdp_stream_rows_per_second',
  /** Gauge: stream replicas as the monitor last saw them. */
  streamReplicas: 'mysimbdp_stream_replicas',
} as const;

/** Kafka Exporter (Strimzi) gauge; still reports lag when a sink is down and exports nothing. */
export const EXPORTER_LAG_METRIC = 'kafka_consumergroup_lag';

interface Panel {
  readonly title: string;
  readonly type: 'timeseries' | 'stat';
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
}

const T = 'tenant=~"$tenant"';
const M = DASHBOARD_METRICS;
// Sink consumer groups are `<client>.sink.<dataset>`; the tenant is the part before the first dot.
const EXPORTER_LAG = `label_replace(${EXPORTER_LAG_METRIC}{consumergroup=~".+\\\\.sink\\\\..+"}, "tenant", "$1", "consumergroup", "([^.]+)\\\\..*")`;

const PANELS: readonly Panel[] = [
  {
    title: 'Rows ingested (ok) per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${M.rows}{result="ok",${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
  {
    title: 'Rows rejected per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${M.rows}{result="rejected",${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
  {
    title: 'Rejected share per tenant (1h)',
    type: 'stat',
    unit: 'percentunit',
    targets: [
      {
        expr: `sum by (tenant) (increase(${M.rows}{result="rejected",${T}}[1h])) / clamp_min(sum by (tenant) (increase(${M.rows}{${T}}[1h])), 1)`,
        legendFormat: '{{tenant}}',
      },
    ],
  },
  {
    title: 'Rejections by rule (1h)',
    type: 'timeseries',
    unit: 'short',
    targets: [{ expr: `sum by (tenant, rule) (increase(${M.rejectedByRule}{${T}}[1h]))`, legendFormat: '{{tenant}} {{rule}}' }],
  },
  {
    title: 'File ingestion time p50 / p95',
    type: 'timeseries',
    unit: 's',
    targets: [
      { expr: `histogram_quantile(0.5, sum by (tenant, le) (rate(${M.fileDuration}_bucket{${T}}[15m])))`, legendFormat: '{{tenant}} p50' },
      { expr: `histogram_quantile(0.95, sum by (tenant, le) (rate(${M.fileDuration}_bucket{${T}}[15m])))`, legendFormat: '{{tenant}} p95' },
    ],
  },
  {
    title: 'Files per outcome (1h)',
    type: 'timeseries',
    unit: 'short',
    targets: [{ expr: `sum by (tenant, outcome) (increase(${M.files}{${T}}[1h]))`, legendFormat: '{{tenant}} {{outcome}}' }],
  },
  {
    title: 'Sink lag (messages behind) per tenant',
    type: 'timeseries',
    unit: 'short',
    targets: [
      { expr: `sum by (tenant) (${M.sinkLag}{${T}})`, legendFormat: '{{tenant}} (sink)' },
      { expr: `sum by (tenant) (${EXPORTER_LAG})`, legendFormat: '{{tenant}} (Kafka Exporter)' },
    ],
  },
  {
    title: 'Rows written to Cassandra per tenant',
    type: 'timeseries',
    unit: 'rows/s',
    targets: [{ expr: `sum by (tenant) (rate(${M.sinkRows}{result="written",${T}}[5m]))`, legendFormat: '{{tenant}}' }],
  },
  {
    title: 'Uploads per tenant and outcome',
    type: 'timeseries',
    unit: 'reqps',
    targets: [{ expr: `sum by (tenant, outcome) (rate(${M.uploads}{${T}}[5m]))`, legendFormat: '{{tenant}} {{outcome}}' }],
  },
  {
    title: 'Stream rate and replicas',
    type: 'timeseries',
    unit: 'short',
    targets: [
      { expr: `sum by (tenant) (${M.streamRate}{${T}})`, legendFormat: '{{tenant}} rows/s' },
      { expr: `sum by (tenant) (${M.streamReplicas}{${T}})`, legendFormat: '{{tenant}} replicas' },
    ],
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
          query: `label_values(${M.rows}, tenant)`,
          includeAll: true,
          multi: true,
          allValue: '.*',
          refresh: 2,
        },
      ],
    },
    panels: PANELS.map((p, i) => ({
      id: i + 1,
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
