import { describe, expect, it } from 'vitest';
import { TenantChart } from '../../../../infra/constructs/tenant/tenant-chart';
import type { KubeObject } from '../../../../infra/synth/synthesize';
import { JDBC_SINK, secretRefs, seedTenant, testSettings, withAgreement } from '../../fixtures';
import { Testing } from 'cdk8s';

const kinds = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

describe('TenantChart', () => {
  it('composes every tenant resource from the two files alone', () => {
    const chart = new TenantChart(Testing.app(), 'tenant', { tenant: seedTenant('client_a'), settings: testSettings() });
    expect(kinds(chart.toJson() as KubeObject[])).toEqual([
      'ConfigMap/client-a-tenant',
      'ConfigMap/client-a-tenant',
      'CronJob/client-a-speed-tracking-data-batch',
      'Deployment/client-a-speed-tracking-data-sink',
      'Deployment/client-a-speed-tracking-data-stream',
      'Job/client-a-provision',
      'KafkaTopic/client-a.speed-tracking-data',
      'KafkaTopic/client-a.speed-tracking-data.dlq',
      'KafkaTopic/client-a.speed-tracking-data.raw',
      'KafkaUser/client-a',
      'LimitRange/tenant-limits',
      'Namespace/mysimbdp-client-a',
      'NetworkPolicy/default-deny',
      'NetworkPolicy/metrics-from-platform',
      'NetworkPolicy/runtime-egress',
      'NetworkPolicy/stream-to-monitor',
      'PersistentVolume/mysimbdp-staging-client-a',
      'PersistentVolumeClaim/staging',
      'ResourceQuota/tenant-quota',
      'Role/mysimbdp-scaler',
      'RoleBinding/mysimbdp-scaler',
      'ServiceAccount/client-a',
    ]);
  });

  it("puts in the tenant namespace nothing that refers to a Secret but the tenant's own, and provisions from the platform namespace", async () => {
    // every option: connectors with a push Secret, encryption, KEDA's trigger authentication
    const tenant = withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK], encryption: true });
    const settings = testSettings({ installKeda: 'true', connectPushSecret: 'registry-push' });
    const objects = new TenantChart(Testing.app(), 'tenant', { tenant, settings }).toJson() as KubeObject[];
    const inTenant = objects.filter((o) => o.metadata.namespace === 'mysimbdp-client-a');
    await expect(new Set(inTenant.flatMap(secretRefs))).toEqual(new Set(['client-a-kafka', 'client-a-cassandra', 'client-a-keys', 'client-a-monitor', 'registry-push']));
    // the monitor token is the stream's alone: not batch, sink, Connect or KEDA's
    await expect(objects.filter((o) => secretRefs(o).includes('client-a-monitor')).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/client-a-speed-tracking-data-stream']);
    const inPlatform = objects.filter((o) => o.metadata.namespace === 'mysimbdp-platform');
    await expect(inPlatform.filter((o) => !o.kind.startsWith('Kafka')).map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['ConfigMap/client-a-tenant', 'Job/client-a-provision']);
    await expect(new Set(inPlatform.flatMap(secretRefs))).toEqual(new Set(['client-a-kafka', 'client-a-credentials', 'mysimbdp-cassandra-platform', 'mysimbdp-cassandra-console']));
  });

  it('adds KEDA scaling and Kafka Connect when the stack and the agreement ask for them', () => {
    const tenant = withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] });
    const chart = new TenantChart(Testing.app(), 'tenant', { tenant, settings: testSettings({ installKeda: 'true' }) });
    const added = kinds(chart.toJson() as KubeObject[]).filter((k) => /^(ScaledObject|TriggerAuthentication|KafkaConnect|KafkaConnector|NetworkPolicy\/connect)/.test(k) || k.includes('connect-'));
    expect(added).toEqual([
      'KafkaConnect/client-a',
      'KafkaConnector/client-a.jdbc-sink',
      'KafkaTopic/client-a.connect-configs',
      'KafkaTopic/client-a.connect-offsets',
      'KafkaTopic/client-a.connect-status',
      'NetworkPolicy/connect-egress',
      'ScaledObject/client-a-speed-tracking-data-sink',
      'TriggerAuthentication/client-a-speed-tracking-data-sink',
    ]);
  });

  it("passes the stack's connectPushSecret to the Connect build, which has none without it", () => {
    const tenant = withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] });
    const output = (settings: ReturnType<typeof testSettings>) => {
      const objects = new TenantChart(Testing.app(), 'tenant', { tenant, settings }).toJson() as KubeObject[];
      return (objects.find((o) => o.kind === 'KafkaConnect')?.spec as { build: { output: Record<string, unknown> } }).build.output;
    };
    expect(output(testSettings({ connectPushSecret: 'registry-push' }))).toEqual({
      type: 'docker',
      image: 'registry.test/mysimbdp/ingest-connect-client-a:1.2.3',
      pushSecret: 'registry-push',
    });
    expect(output(testSettings())).not.toHaveProperty('pushSecret');
  });
});
