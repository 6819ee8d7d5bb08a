import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { PlatformChart } from '../../../../infra/constructs/platform/platform-chart';
import type { KubeObject } from '../../../../infra/synth/synthesize';
import { seedTenants, testSettings, TEST_IMAGE } from '../../fixtures';
import { manifestsErrors, policyViolations } from '../../manifest-validation';

const synth = (overrides: Parameters<typeof testSettings>[0] = {}): KubeObject[] =>
  new PlatformChart(new App(), 'platform', { settings: testSettings(overrides), tenants: seedTenants() }).toJson() as KubeObject[];

describe('PlatformChart', () => {
  it('composes the platform in <prefix>-platform; every object fits its schema and every container the policy', async () => {
    const objects = synth({ installPrometheus: 'true', namespacePrefix: 'acme' });
    expect(manifestsErrors(objects)).toEqual([]);
    expect(policyViolations(objects, TEST_IMAGE)).toEqual([]);
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`)).toEqual([
      'Namespace -/acme-platform',
      'Kafka acme-platform/mysimbdp',
      'KafkaNodePool acme-platform/dual',
      'CassandraDatacenter acme-platform/dc1',
      'PersistentVolume -/acme-staging-platform',
      'PersistentVolumeClaim acme-platform/staging',
      'Deployment acme-platform/mysimbdp-api',
      'PodDisruptionBudget acme-platform/mysimbdp-api',
      'Service acme-platform/mysimbdp-api',
      'ServiceAccount acme-platform/mysimbdp-monitor',
      'Deployment acme-platform/mysimbdp-monitor',
      'Service acme-platform/mysimbdp-monitor',
      'NetworkPolicy acme-platform/mysimbdp-monitor-ingress',
      'ServiceMonitor acme-platform/mysimbdp-platform-services',
      'PodMonitor acme-platform/mysimbdp-strimzi',
      'PodMonitor acme-platform/mysimbdp-cassandra',
      'PodMonitor acme-platform/mysimbdp-tenant-workloads',
      'PrometheusRule acme-platform/mysimbdp-alerts',
      'ConfigMap acme-platform/mysimbdp-grafana-dashboard',
    ]);
  });

  it('takes replicas, storage class, cluster names and the staging share from the stack', async () => {
    const objects = synth({ kafkaBrokers: '5', cassandraNodes: '4', monitorReplicas: '2', storageClass: 'gold', kafkaClusterName: 'events', cassandraClusterName: 'store', cassandraDatacenter: 'eu1' });
    const find = (kind: string) => objects.find((o) => o.kind === kind) as KubeObject & { spec: any };
    expect(find('Kafka').metadata.name).toBe('events');
    expect(find('KafkaNodePool').metadata.labels).toMatchObject({ 'strimzi.io/cluster': 'events' });
    expect(find('KafkaNodePool').spec).toMatchObject({ replicas: 5, storage: { class: 'gold' } });
    expect(find('CassandraDatacenter').metadata.name).toBe('eu1');
    expect(find('CassandraDatacenter').spec).toMatchObject({ clusterName: 'store', size: 4, storageConfig: { cassandraDataVolumeClaimSpec: { storageClassName: 'gold' } } });
    expect(find('PersistentVolume').spec).toMatchObject({ nfs: { server: 'nfs.test', path: '/exports/staging' }, storageClassName: 'gold' });
    const monitor = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'mysimbdp-monitor') as KubeObject & { spec: any };
    expect(monitor.spec.replicas).toBe(2);
  });

  it('leaves out Prometheus monitors unless the stack installs the Prometheus operator', async () => {
    const kinds = synth({ installPrometheus: 'false' }).map((o) => o.kind);
    expect(kinds).not.toContain('PodMonitor');
    expect(kinds).not.toContain('ServiceMonitor');
    expect(kinds).toContain('ConfigMap');
  });
});
