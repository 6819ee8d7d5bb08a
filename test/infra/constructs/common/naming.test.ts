import { describe, expect, it } from 'vitest';
import {
  CASSANDRA_PLATFORM_ROLE,
  CASSANDRA_PLATFORM_SECRET,
  cassandraSecretName,
  credentialsSecretName,
  dnsName,
  encryptionKeysSecretName,
  kafkaPasswordSecretName,
  kafkaTopicResourceName,
  MONITOR_TOKENS_SECRET,
  monitorTokenSecretName,
  provisionJobName,
  platformEndpoints,
  platformNamespace,
  tenantNamespace,
  workloadName,
} from '../../../../infra/constructs/common/naming';
import { seedTenant, testSettings, thrownMessage } from '../../fixtures';

describe('naming', () => {
  it('dnsName makes client ids DNS labels', () => {
    expect(dnsName('client_a')).toBe('client-a');
    expect(dnsName('Tenant__B_')).toBe('tenant-b');
  });

  it.each([
    ['___', '"___" has no DNS-safe form of at most 63 characters (got "")'],
    ['a'.repeat(64), `"${'a'.repeat(64)}" has no DNS-safe form of at most 63 characters (got "${'a'.repeat(64)}")`],
  ])('dnsName(%j) throws', async (id, message) => {
    expect(thrownMessage(() => dnsName(id))).toBe(message);
  });

  it('names namespaces, workloads and topic resources', () => {
    const settings = testSettings({ namespacePrefix: 'acme' });
    const tenant = seedTenant('client_a');
    const dataset = tenant.datasets[0]!;
    expect(platformNamespace(settings)).toBe('acme-platform');
    expect(tenantNamespace(settings, tenant)).toBe('acme-client-a');
    expect(workloadName(tenant, dataset, 'batch')).toBe('client-a-speed-tracking-data-batch');
    expect(kafkaTopicResourceName(tenant, 'client_a.speed-tracking-data.dlq')).toBe('client-a.speed-tracking-data.dlq');
  });

  it("names a tenant's Secrets and provision Job after its DNS name, and the platform's role and Secrets apart from any client id", async () => {
    const tenant = seedTenant('client_a');
    await expect([
      kafkaPasswordSecretName(tenant),
      cassandraSecretName(tenant),
      credentialsSecretName(tenant),
      encryptionKeysSecretName(tenant),
      monitorTokenSecretName(tenant),
      provisionJobName(tenant),
    ]).toEqual(['client-a-kafka', 'client-a-cassandra', 'client-a-credentials', 'client-a-keys', 'client-a-monitor', 'client-a-provision']);
    await expect([CASSANDRA_PLATFORM_ROLE, CASSANDRA_PLATFORM_SECRET, MONITOR_TOKENS_SECRET]).toEqual(['mysimbdp_platform', 'mysimbdp-cassandra-platform', 'mysimbdp-monitor-tokens']);
  });

  it('refuses a topic outside the tenant prefix', () => {
    expect(thrownMessage(() => kafkaTopicResourceName(seedTenant('client_a'), 'client_b.x'))).toBe('topic "client_b.x" does not start with "client_a."');
  });

  it('derives the platform endpoints from the stack', () => {
    expect(platformEndpoints(testSettings({ kafkaClusterName: 'k', cassandraClusterName: 'c', cassandraDatacenter: 'east' }))).toEqual({
      namespace: 'mysimbdp-platform',
      kafkaBootstrap: 'k-kafka-bootstrap.mysimbdp-platform.svc:9092',
      cassandraContactPoints: 'c-east-service.mysimbdp-platform.svc:9042',
      monitorName: 'mysimbdp-monitor',
      monitorServiceUrl: 'http://mysimbdp-monitor.mysimbdp-platform.svc:8081',
      monitorUrl: 'http://mysimbdp-monitor.mysimbdp-platform.svc:8081/reports',
      apiName: 'mysimbdp-api',
    });
  });
});
