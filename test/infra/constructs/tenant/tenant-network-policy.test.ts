import { describe, expect, it } from 'vitest';
import { TenantNetworkPolicy } from '../../../../infra/constructs/tenant/tenant-network-policy';
import type { KubeObject } from '../../../../infra/synth/synthesize';
import { JDBC_SINK, one, render, seedTenant, testSettings, withAgreement } from '../../fixtures';

const settings = testSettings();
const spec = (objects: KubeObject[], name: string) => one(objects, 'NetworkPolicy', name).spec as Record<string, unknown>;

describe('TenantNetworkPolicy', () => {
  const objects = render((chart) => new TenantNetworkPolicy(chart, 'np', { tenant: seedTenant('client_a'), settings }));

  it('denies everything by default', () => {
    expect(objects.map((o) => o.metadata.name)).toEqual(['default-deny', 'runtime-egress', 'stream-to-monitor', 'metrics-from-platform']);
    expect(spec(objects, 'default-deny')).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const o of objects) expect(o.metadata.namespace).toBe('mysimbdp-client-a');
  });

  it('lets runtime pods reach only DNS, the Kafka brokers and Cassandra', () => {
    expect(spec(objects, 'runtime-egress')).toEqual({
      podSelector: {
        matchLabels: { 'mysimbdp.io/tenant': 'client_a' },
        matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: ['batch', 'stream', 'sink'] }],
      },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mysimbdp-platform' } }, podSelector: { matchLabels: { 'strimzi.io/cluster': 'mysimbdp', 'strimzi.io/kind': 'Kafka' } } }],
          ports: [{ port: 9092, protocol: 'TCP' }],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mysimbdp-platform' } }, podSelector: { matchLabels: { 'cassandra.datastax.com/cluster': 'mysimbdp' } } }],
          ports: [{ port: 9042, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('lets stream reach the monitor and the platform scrape stream and sink metrics', () => {
    expect(spec(objects, 'stream-to-monitor').egress).toEqual([
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mysimbdp-platform' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'mysimbdp-monitor' } } }],
        ports: [{ port: 8081, protocol: 'TCP' }],
      },
    ]);
    expect(spec(objects, 'metrics-from-platform').ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'mysimbdp-platform' } } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ port: 9464, protocol: 'TCP' }],
      },
    ]);
  });

  it('opens egress for the Connect worker only when there are connectors', () => {
    const withConnect = render((chart) => new TenantNetworkPolicy(chart, 'np', { tenant: withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }), settings }));
    expect(spec(withConnect, 'connect-egress').podSelector).toEqual({ matchLabels: { 'strimzi.io/cluster': 'client-a', 'strimzi.io/kind': 'KafkaConnect' } });
  });
});
