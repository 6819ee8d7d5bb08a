import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_METRICS, PlatformAlerts, SILENT_INTERVALS, type PlatformAlertsProps } from '../../../../infra/constructs/platform/platform-alerts';
import type { Tenant } from '../../../../infra/tenant/types';
import { SILENT_INTERVALS as MONITOR_SILENT_INTERVALS } from '../../../../ingest/src/monitor/monitor-server';
import { REPO_ROOT } from '../../../helpers/cli';
import { one, render, seedTenant, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

/** client_a with stream thresholds of its own (the seed leaves them at their defaults). */
const tuned: Tenant = (() => {
  const a = seedTenant('client_a');
  return { ...a, agreement: { ...a.agreement, stream: { ...a.agreement.stream, reportIntervalSeconds: 60, minRowsPerSecond: 500, maxAvgIngestionMs: 2000 } } };
})();
const BASE: PlatformAlertsProps = { namespace: 'mysimbdp-platform', tenants: [tuned, seedTenant('client_b')] };
const build = (props: Partial<PlatformAlertsProps> = {}) => render((chart) => new PlatformAlerts(chart, 'alerts', { ...BASE, ...props }));
type Group = { name: string; rules: { alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }[] };
const groups = (props: Partial<PlatformAlertsProps> = {}) => (one(build(props), 'PrometheusRule', 'mysimbdp-alerts').spec as { groups: Group[] }).groups;

describe('PlatformAlerts', () => {
  it('is one PrometheusRule in the platform namespace that fits the prometheus-operator schema', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(objects.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['monitoring.coreos.com/v1 PrometheusRule mysimbdp-platform/mysimbdp-alerts']);
    expect(objects[0]!.metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'mysimbdp', 'app.kubernetes.io/component': 'monitoring' });
    expect(groups().map((g) => g.name)).toEqual(['mysimbdp-monitor', 'mysimbdp-tenant-client_a', 'mysimbdp-tenant-client_b']);
  });

  it("turns every alert decision of the monitor into an alert, per tenant and dataset", async () => {
    expect(groups()[0]!.rules.map((r) => [r.alert, r.expr, r.labels])).toEqual([
      ['MysimbdpMonitorAlert', 'sum by (tenant, dataset) (increase(mysimbdp_monitor_decisions_total{action="alert"}[300s])) > 0', { severity: 'warning' }],
    ]);
  });

  it("takes each tenant's thresholds from its agreement", async () => {
    const [, a, b] = groups();
    expect(a!.rules.map((r) => [r.alert, r.expr, r.for])).toEqual([
      ['MysimbdpStreamSlow', 'mysimbdp_stream_avg_ingestion_ms{tenant="client_a"} > 2000', '2m'],
      ['MysimbdpStreamThroughputLow', 'mysimbdp_stream_rows_per_second{tenant="client_a"} < 500 > 0', '2m'],
      ['MysimbdpStreamSilent', 'increase(mysimbdp_monitor_reports_total{tenant="client_a"}[180s]) == 0', undefined],
    ]);
    expect(a!.rules[1]!.annotations.summary).toBe('{{ $labels.tenant }}/{{ $labels.dataset }}: {{ $value }} rows/s < min_rows_per_second 500');
    // client_b keeps the defaults: no minimum rate (no throughput rule), reports every 10 s (silence judged over at least 2 min)
    expect(b!.rules.map((r) => [r.alert, r.expr])).toEqual([
      ['MysimbdpStreamSlow', 'mysimbdp_stream_avg_ingestion_ms{tenant="client_b"} > 60000'],
      ['MysimbdpStreamSilent', 'increase(mysimbdp_monitor_reports_total{tenant="client_b"}[120s]) == 0'],
    ]);
  });

  it('takes the pending time and the shortest range from its props', async () => {
    const [monitor, a] = groups({ for: '5m', minRangeSeconds: 600 });
    expect([monitor!.rules[0]!.expr, a!.rules[0]!.for, a!.rules[2]!.expr]).toEqual([
      'sum by (tenant, dataset) (increase(mysimbdp_monitor_decisions_total{action="alert"}[600s])) > 0',
      '5m',
      'increase(mysimbdp_monitor_reports_total{tenant="client_a"}[600s]) == 0',
    ]);
  });

  it('reads only series the monitor exports, and judges silence as the monitor does', async () => {
    const monitor = fs.readFileSync(path.join(REPO_ROOT, 'ingest', 'src', 'monitor', 'monitor-server.ts'), 'utf8');
    for (const name of Object.values(ALERT_METRICS)) expect(monitor, name).toContain(`name: '${name}'`);
    const used = new Set(JSON.stringify(groups().flatMap((g) => g.rules.map((r) => r.expr))).match(/\bmysimbdp_[a-z_]+/g));
    expect([...used].sort()).toEqual(Object.values(ALERT_METRICS).sort());
    expect(SILENT_INTERVALS).toBe(MONITOR_SILENT_INTERVALS);
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ namespace: 'Platform' }))).toBe(`PlatformAlerts: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got "Platform"`);
    expect(thrownMessage(() => build({ for: '2 minutes' }))).toBe('PlatformAlerts: for must be a Prometheus duration (e.g. 2m), got "2 minutes"');
    expect(thrownMessage(() => build({ minRangeSeconds: 0 }))).toBe('PlatformAlerts: minRangeSeconds must be an integer >= 1, got 0');
  });
});
