import { describe, expect, it } from 'vitest';
import { assertDistinctTenantNames } from '../../../infra/synth/name-collisions';
import { synthesize } from '../../../infra/synth/synthesize';
import { renamed, seedTenant, seedTenants, testSettings, thrownMessage, withDataset } from '../fixtures';

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
      'topics equal in Kafka metric names',
      () => [
        withDataset(renamed(seedTenant('client_a'), 'a_b', 'a-b'), { topics: { main: 'a_b.c', raw: 'a_b.c.raw', dlq: 'a_b.c.dlq' } }),
        withDataset(renamed(seedTenant('client_b'), 'a', 'a'), { topics: { main: 'a.b_c', raw: 'a.b_c.raw', dlq: 'a.b_c.dlq' } }),
      ],
      'Kafka topics "a_b.c" and "a.b_c" collide in Kafka metric names ("a_b_c")',
    ],
  ])('refuses %s', async (_what, build, message) => {
    expect(thrownMessage(() => assertDistinctTenantNames(build(), settings))).toBe(message);
    // synthesize runs the same guard before making anything.
    expect(thrownMessage(() => synthesize(build(), settings))).toBe(message);
  });

  it('two distinct tenants never share a namespace, topic resource, KafkaUser or PV', () => {
    const tenants = [seedTenant('client_a'), renamed(seedTenant('client_a'), 'client_a2', 'client-a2'), renamed(seedTenant('client_a'), 'client', 'client')];
    const manifests = synthesize(tenants, settings);
    const keys = [...manifests.tenants.values()].flat().map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    const topicNames = [...manifests.tenants.values()].flat().filter((o) => o.kind === 'KafkaTopic').map((o) => (o.spec as { topicName: string }).topicName.replace(/\./g, '_'));
    expect(new Set(topicNames).size).toBe(topicNames.length);
  });
});
