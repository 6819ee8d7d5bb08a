import { describe, expect, it } from 'vitest';
import { RuntimeDeployment } from '../../../../infra/constructs/tenant/runtime-deployment';
import { one, podEnv, render, seedTenant, testSettings, thrownMessage, withAgreement } from '../../fixtures';
import { podSpecOf } from '../../manifest-validation';

const settings = testSettings();
const stream = (minReplicas: number, maxReplicas: number) => ({ ...seedTenant('client_a').agreement.stream, minReplicas, maxReplicas });

describe('RuntimeDeployment', () => {
  const tenant = withAgreement(seedTenant('client_a'), { stream: stream(2, 5) });
  const dataset = tenant.datasets[0]!;

  it('stream: minReplicas pods, staging mounted, metrics and monitor URL, no surge', () => {
    const d = one(render((chart) => new RuntimeDeployment(chart, 's', { tenant, dataset, settings, role: 'stream' })), 'Deployment');
    expect(d.metadata.name).toBe('client-a-speed-tracking-data-stream');
    expect(d.spec).toMatchObject({
      replicas: 2,
      selector: { matchLabels: { 'mysimbdp.io/tenant': 'client_a', 'app.kubernetes.io/component': 'stream', 'mysimbdp.io/dataset': 'speed-tracking-data' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    });
    const c = podSpecOf(d)!.containers[0] as unknown as { args: string[]; ports: unknown[]; volumeMounts: { mountPath: string }[] };
    expect(c.args).toEqual(['stream']);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9464, protocol: 'TCP' }]);
    expect(c.volumeMounts.map((m) => m.mountPath)).toContain('/staging/client_a');
    expect(podEnv(d)).toMatchObject({ METRICS_PORT: '9464', MONITOR_URL: 'http://mysimbdp-monitor.mysimbdp-platform.svc:8081/reports', DATASET: 'speed-tracking-data' });
  });

  it("stream: reports with the tenant's own monitor token, which it cannot start without", async () => {
    const d = one(render((chart) => new RuntimeDeployment(chart, 's', { tenant, dataset, settings, role: 'stream' })), 'Deployment');
    const env = (podSpecOf(d)!.containers[0] as unknown as { env: { name: string }[] }).env;
    await expect(env.find((e) => e.name === 'MONITOR_TOKEN')).toEqual({ name: 'MONITOR_TOKEN', valueFrom: { secretKeyRef: { name: 'client-a-monitor', key: 'token', optional: false } } });
  });

  it('sink: `sink --client <client>`, no staging', () => {
    const d = one(render((chart) => new RuntimeDeployment(chart, 's', { tenant, dataset, settings, role: 'sink' })), 'Deployment');
    expect(d.metadata.name).toBe('client-a-speed-tracking-data-sink');
    const c = podSpecOf(d)!.containers[0] as unknown as { args: string[]; volumeMounts: { mountPath: string }[]; readinessProbe: unknown; livenessProbe: unknown };
    expect(c.args).toEqual(['sink', '--client', 'client_a']);
    // the worker's own verdicts (ingest/src/http/health.ts), on the metrics port
    expect(JSON.parse(JSON.stringify([c.readinessProbe, c.livenessProbe]))).toEqual([
      { httpGet: { path: '/readyz', port: 'metrics' }, periodSeconds: 10, failureThreshold: 3 },
      { httpGet: { path: '/healthz', port: 'metrics' }, initialDelaySeconds: 10, periodSeconds: 20, failureThreshold: 3 },
    ]);
    expect(c.volumeMounts.map((m) => m.mountPath)).toEqual(['/tmp', '/etc/mysimbdp/tenants/client_a']);
    expect(podEnv(d).MONITOR_URL).toBeUndefined();
  });

  it('sink: no monitor token', async () => {
    const d = one(render((chart) => new RuntimeDeployment(chart, 's', { tenant, dataset, settings, role: 'sink' })), 'Deployment');
    await expect(podEnv(d).MONITOR_TOKEN).toBeUndefined();
  });

  it('leaves replicas to the autoscaler when autoscaled', () => {
    const d = one(render((chart) => new RuntimeDeployment(chart, 's', { tenant, dataset, settings, role: 'sink', autoscaled: true })), 'Deployment');
    expect((d.spec as { replicas?: number }).replicas).toBeUndefined();
  });

  it('refuses minReplicas above maxReplicas', () => {
    const bad = withAgreement(seedTenant('client_a'), { stream: stream(4, 3) });
    expect(thrownMessage(() => render((chart) => new RuntimeDeployment(chart, 's', { tenant: bad, dataset, settings, role: 'sink' })))).toBe(
      'tenant "client_a": stream.minReplicas must be an integer from 0 to stream.maxReplicas (3), got 4',
    );
  });
});
