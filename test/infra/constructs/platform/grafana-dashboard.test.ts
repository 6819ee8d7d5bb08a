import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_METRICS, dashboardJson, EXPORTER_LAG_METRIC, GrafanaDashboard, type GrafanaDashboardProps } from '../../../../infra/constructs/platform/grafana-dashboard';
import { one, render, REPO_ROOT, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const build = (props: Partial<GrafanaDashboardProps> = {}) => render((chart) => new GrafanaDashboard(chart, 'dashboard', { namespace: 'mysimbdp-platform', ...props }));

interface PanelJson {
  id: number;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string }[];
}

function runtimeSources(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('GrafanaDashboard', () => {
  it('is a ConfigMap labelled for the Grafana sidecar holding the dashboard JSON', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    const map = one(objects, 'ConfigMap');
    expect(map.metadata).toMatchObject({ name: 'mysimbdp-grafana-dashboard', namespace: 'mysimbdp-platform', labels: { grafana_dashboard: '1' } });
    expect(JSON.parse((map.data as Record<string, string>)['mysimbdp-ingestion.json'] as string)).toEqual(dashboardJson());
  });

  it('has panels for rows ok/rejected per tenant, file durations and sink lag, laid out without overlap', async () => {
    const panels = dashboardJson().panels as PanelJson[];
    const titles = panels.map((p) => p.title);
    expect(titles).toEqual(expect.arrayContaining(['Rows ingested (ok) per tenant', 'Rows rejected per tenant', 'File ingestion time p50 / p95', 'Sink lag (messages behind) per tenant']));
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    expect(new Set(panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`)).size).toBe(panels.length);
    for (const p of panels) {
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets) expect(t.expr).toMatch(/mysimbdp_|kafka_consumergroup_lag/);
    }
    const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs).toContain('sum by (tenant) (rate(mysimbdp_ingest_rows_total{result="rejected",tenant=~"$tenant"}[5m]))');
    expect(exprs).toContain('histogram_quantile(0.95, sum by (tenant, le) (rate(mysimbdp_ingest_file_duration_seconds_bucket{tenant=~"$tenant"}[15m])))');
    expect(exprs).toContain(
      'sum by (tenant) (label_replace(kafka_consumergroup_lag{consumergroup=~".+\\\\.sink\\\\..+"}, "tenant", "$1", "consumergroup", "([^.]+)\\\\..*"))',
    );
  });

  it('reads only metrics the runtime really exports (plus Kafka Exporter lag)', async () => {
    const sources = runtimeSources(path.join(REPO_ROOT, 'ingest', 'src'));
    for (const name of Object.values(DASHBOARD_METRICS)) expect(sources, name).toContain(`name: '${name}'`);
    const used = new Set((JSON.stringify(dashboardJson()).match(/\b(mysimbdp_[a-z_]+|kafka_[a-z_]+)/g) ?? []).map((m) => m.replace(/_bucket$/, '')));
    expect([...used].sort()).toEqual([...Object.values(DASHBOARD_METRICS), EXPORTER_LAG_METRIC].sort());
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ name: 'Dashboard' }))).toBe(`GrafanaDashboard: name must be a DNS label (a-z, 0-9, '-', at most 63), got "Dashboard"`);
    expect(thrownMessage(() => build({ namespace: '' }))).toBe(`GrafanaDashboard: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got ""`);
  });
});
