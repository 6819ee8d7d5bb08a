import { describe, expect, it } from 'vitest';
import { DatasetTopics } from '../../../../infra/constructs/tenant/dataset-topics';
import { render, seedTenant, testSettings, thrownMessage, withAgreement } from '../../fixtures';

const settings = testSettings({ kafkaBrokers: '2' });

describe('DatasetTopics', () => {
  it('makes main, raw and dlq topics in the platform namespace with DNS names and real topic names', () => {
    const tenant = withAgreement(seedTenant('client_a'), { kafka: { partitions: 6, producerByteRate: 1, consumerByteRate: 1 } });
    const objects = render((chart) => new DatasetTopics(chart, 't', { tenant, dataset: tenant.datasets[0]!, settings }));
    expect(objects.map((o) => [o.metadata.namespace, o.metadata.name, o.spec])).toEqual(
      ['', '.raw', '.dlq'].map((suffix) => [
        'mysimbdp-platform',
        `client-a.speed-tracking-data${suffix}`,
        {
          topicName: `client_a.speed-tracking-data${suffix}`,
          partitions: 6,
          replicas: 2,
          // the raw topic's order is the broker's append time, not the tenant's clock
          config: { 'retention.ms': 7 * 86_400_000, 'cleanup.policy': 'delete', 'min.insync.replicas': 1, ...(suffix === '.raw' ? { 'message.timestamp.type': 'LogAppendTime' } : {}) },
        },
      ]),
    );
    for (const o of objects) expect(o.metadata.labels).toMatchObject({ 'strimzi.io/cluster': 'mysimbdp', 'mysimbdp.io/tenant': 'client_a', 'mysimbdp.io/dataset': 'speed-tracking-data' });
  });

  it.each([
    [{ kafka: { partitions: 0, producerByteRate: 1, consumerByteRate: 1 } }, 'tenant "client_a": kafka.partitions must be an integer >= 1, got 0'],
    [{ retentionMs: 0 }, 'tenant "client_a": retention must be at least 1 ms, got 0 ms'],
  ])('refuses %j', async (patch, message) => {
    const tenant = withAgreement(seedTenant('client_a'), patch);
    expect(thrownMessage(() => render((chart) => new DatasetTopics(chart, 't', { tenant, dataset: tenant.datasets[0]!, settings })))).toBe(message);
  });
});
