import { describe, expect, it } from 'vitest';
import { PlatformMonitoring, type PlatformMonitoringProps } from '../../../../infra/constructs/platform/platform-monitoring';
import { byKind, one, render, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const BASE: PlatformMonitoringProps = { namespace: 'mysimbdp-platform', kafkaClusterName: 'mysimbdp', cassandraClusterName: 'core' };
const build = (props: Partial<PlatformMonitoringProps> = {}) => render((chart) => new PlatformMonitoring(chart, 'monitoring', { ...BASE, ...props }));

describe('PlatformMonitoring', () => {
  it('scrapes every component: platform Services, Strimzi pods, Cassandra nodes and tenant workloads', async () => {
    const objects = build();
    expect(manifestsErrors(objects)).toEqual([]);
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ServiceMonitor mysimbdp-platform-services',
      'PodMonitor mysimbdp-strimzi',
      'PodMonitor mysimbdp-cassandra',
      'PodMonitor mysimbdp-tenant-workloads',
    ]);
    expect(one(objects, 'ServiceMonitor').spec).toEqual({
      selector: { matchLabels: { 'mysimbdp.io/metrics': 'true' } },
      namespaceSelector: { matchNames: ['mysimbdp-platform'] },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    });
    const pod = (name: string) => one(objects, 'PodMonitor', name).spec as Record<string, any>;
    expect(pod('mysimbdp-strimzi').podMetricsEndpoints).toEqual([{ port: 'tcp-prometheus', path: '/metrics', interval: '30s' }]);
    expect(pod('mysimbdp-strimzi').namespaceSelector).toEqual({ any: true });
    expect(pod('mysimbdp-cassandra').selector).toEqual({ matchLabels: { 'cassandra.datastax.com/cluster': 'core' } });
    expect(pod('mysimbdp-tenant-workloads')).toMatchObject({
      namespaceSelector: { any: true },
      selector: { matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['batch', 'stream', 'sink'] }] },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
  });

  it('uses the given interval everywhere', async () => {
    const objects = build({ interval: '1m' });
    expect(byKind(objects, 'PodMonitor').map((o) => (o.spec as any).podMetricsEndpoints[0].interval)).toEqual(['1m', '1m', '1m']);
  });

  it('rejects bad props with messages naming field and value', async () => {
    expect(thrownMessage(() => build({ interval: '30 seconds' }))).toBe('PlatformMonitoring: interval must be a Prometheus duration (e.g. 30s), got "30 seconds"');
    expect(thrownMessage(() => build({ namespace: 'Platform' }))).toBe(`PlatformMonitoring: namespace must be a DNS label (a-z, 0-9, '-', at most 63), got "Platform"`);
  });
});
