import { describe, expect, it } from 'vitest';
import { assertDistinctTenantNames } from '../../../infra/synth/name-collisions';
import { synthesize } from '../../../infra/synth/synthesize';
import { renamed, seedTenant, seedTenants, testSettings, thrownMessage, withAgreement, withDataset } from '../fixtures';

const settings = testSettings();

describe('assertDistinctTenantNames', () => {
  it('accepts the seed tenants', () => {
    expect(() => assertDistinctTenantNames(seedTenants(), settings)).not.toThrow();
  });

  it.each([
    [
      'two clients with one DNS name',
      () => [seedTenant('client_a'), renamed(seedTenant('client_b'), 'client-a', 'client-a')],
      'tenants "client_a" and "client-a" map to the same Kubernetes name "client-a"',
    ],
    ['the platform namespace', () => [renamed(seedTenant('client_a'), 'platform', 'platform')], 'tenant "platform": namespace mysimbdp-platform is the platform\'s'],
    ['a dot in a client id', () => [renamed(seedTenant('client_a'), 'client.a', 'client-a')], 'tenant "client.a": client id must not contain "." (it delimits topic prefixes)'],
    ['a dnsName that is no DNS label', () => [renamed(seedTenant('client_a'), 'client_x', 'client_x')], 'tenant "client_x": dnsName "client_x" is not a DNS label'],
    [
      "a tenant's Secret named as another's KafkaUser Secret",
      () => [seedTenant('client_a'), renamed(seedTenant('client_b'), 'client_a_credentials', 'client-a-credentials')],
      'tenant "client_a_credentials": Secret "client-a-credentials" in namespace mysimbdp-platform is already tenant "client_a"\'s',
    ],
    [
      "a KafkaUser Secret named as another tenant's Kafka password",
      () => [renamed(seedTenant('client_b'), 'client_a_kafka', 'client-a-kafka'), seedTenant('client_a')],
      'tenant "client_a": Secret "client-a-kafka" in namespace mysimbdp-platform is already tenant "client_a_kafka"\'s',
    ],
    [
      "an encrypting tenant's keys named as another's KafkaUser Secret",
      () => [withAgreement(seedTenant('client_a'), { encryption: true }), renamed(seedTenant('client_b'), 'client_a_keys', 'client-a-keys')],
      'tenant "client_a_keys": Secret "client-a-keys" in namespace mysimbdp-platform is already tenant "client_a"\'s',
    ],
    [
      "a KafkaUser Secret named as the platform's",
      () => [renamed(seedTenant('client_a'), 'mysimbdp_api_tokens', 'mysimbdp-api-tokens')],
      'tenant "mysimbdp_api_tokens": Secret "mysimbdp-api-tokens" in namespace mysimbdp-platform is already the platform\'s',
    ],
    [
      "a KafkaUser Secret named as the monitor's tokens",
      () => [renamed(seedTenant('client_a'), 'mysimbdp_monitor_tokens', 'mysimbdp-monitor-tokens')],
      'tenant "mysimbdp_monitor_tokens": Secret "mysimbdp-monitor-tokens" in namespace mysimbdp-platform is already the platform\'s',
    ],
    ['the platform\'s Cassandra role', () => [renamed(seedTenant('client_a'), 'mysimbdp_platform', 'mysimbdp-platform')], 'tenant "mysimbdp_platform": Cassandra role "mysimbdp_platform" is reserved for the platform'],
    ['the console\'s Cassandra role', () => [renamed(seedTenant('client_a'), 'mysimbdp_console', 'mysimbdp-console')], 'tenant "mysimbdp_console": Cassandra role "mysimbdp_console" is reserved for the platform'],
    [
      "a KafkaUser Secret named as the console role's",
      () => [renamed(seedTenant('client_a'), 'mysimbdp_cassandra_console', 'mysimbdp-cassandra-console')],
      'tenant "mysimbdp_cassandra_console": Secret "mysimbdp-cassandra-console" in namespace mysimbdp-platform is already the platform\'s',
    ],
    [
      "a KafkaUser Secret named as the monitor's operator token",
      () => [renamed(seedTenant('client_a'), 'mysimbdp_monitor_operator', 'mysimbdp-monitor-operator')],
      'tenant "mysimbdp_monitor_operator": Secret "mysimbdp-monitor-operator" in namespace mysimbdp-platform is already the platform\'s',
    ],
    ['Cassandra\'s built-in role', () => [renamed(seedTenant('client_a'), 'cassandra', 'cassandra')], 'tenant "cassandra": Cassandra role "cassandra" is reserved for the platform'],
    [
      'topics equal in Kafka metric names',
      () => [
        withDataset(renamed(seedTenant('client_a'), 'a_b', 'a-b'), { topics: { main: 'a_b.c', raw: 'a_b.c.raw', dlq: 'a_b.c.dlq' } }),
        withDataset(renamed(seedTenant('client_b'), 'a', 'a'), { topics: { main: 'a.b_c', raw: 'a.b_c.raw', dlq: 'a.b_c.dlq' } }),
      ],
      'Kafka topics "a_b.c" and "a.b_c" collide in Kafka metric names ("a_b_c")',
    ],
  ])('refuses %s', async (_what, build, message) => {
    await expect(thrownMessage(() => assertDistinctTenantNames(build(), settings))).toBe(message);
    // synthesize runs the same guard before making anything.
    await expect(thrownMessage(() => synthesize(build(), settings))).toBe(message);
  });

  it('accepts suffix-like clients whose platform-namespace names cannot meet', async () => {
    // without encryption client_a has no Secret client-a-keys; client_a_tenant's ConfigMap is client-a-tenant-tenant
    const tenants = [seedTenant('client_a'), renamed(seedTenant('client_b'), 'client_a_keys', 'client-a-keys'), renamed(seedTenant('client_b'), 'client_a_tenant', 'client-a-tenant')];
    await expect(() => assertDistinctTenantNames(tenants, settings)).not.toThrow();
  });

  it('two distinct tenants never share a namespace, topic resource, KafkaUser, PV, or an object in the platform namespace', () => {
    const tenants = [seedTenant('client_a'), renamed(seedTenant('client_a'), 'client_a2', 'client-a2'), renamed(seedTenant('client_a'), 'client', 'client')];
    const manifests = synthesize(tenants, settings);
    const keys = [...manifests.tenants.values()].flat().map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const topicNames = [...manifests.tenants.values()].flat().filter((o) => o.kind === 'KafkaTopic').map((o) => (o.spec as { topicName: string }).topicName.replace(/\./g, '_'));
    expect(new Set(topicNames).size).toBe(topicNames.length);
  });
});
