import { describe, expect, it } from 'vitest';
import { SinkScaledObject } from '../../../../infra/constructs/tenant/sink-scaled-object';
import { one, render, seedTenant, testSettings, thrownMessage } from '../../fixtures';
import { manifestsErrors } from '../../manifest-validation';

const settings = testSettings({ installKeda: 'true' });

describe('SinkScaledObject', () => {
  const tenant = seedTenant('client_a');
  const dataset = tenant.datasets[0]!;

  it("scales the sink between the agreement's replicas on its consumer group's lag", () => {
    const objects = render((chart) => new SinkScaledObject(chart, 'k', { tenant, dataset, settings, lagThreshold: 500 }));
    expect(manifestsErrors(objects)).toEqual([]);
    expect(one(objects, 'ScaledObject').spec).toEqual({
      scaleTargetRef: { name: 'client-a-speed-tracking-data-sink' },
      minReplicaCount: 1,
      maxReplicaCount: 3,
      triggers: [
        {
          type: 'kafka',
          metadata: {
            bootstrapServers: 'mysimbdp-kafka-bootstrap.mysimbdp-platform.svc:9092',
            consumerGroup: 'client_a.sink.speed-tracking-data',
            topic: 'client_a.speed-tracking-data',
            lagThreshold: '500',
            offsetResetPolicy: 'earliest',
            sasl: 'scram_sha512',
            tls: 'disable',
          },
          authenticationRef: { name: 'client-a-speed-tracking-data-sink' },
        },
      ],
    });
    expect(one(objects, 'TriggerAuthentication').spec).toEqual({
      env: [{ parameter: 'username', name: 'KAFKA_USERNAME', containerName: 'sink' }],
      secretTargetRef: [{ parameter: 'password', name: 'client-a-kafka', key: 'password' }],
    });
  });

  it('refuses a lag threshold below 1', () => {
    expect(thrownMessage(() => render((chart) => new SinkScaledObject(chart, 'k', { tenant, dataset, settings, lagThreshold: 0 })))).toBe(
      'SinkScaledObject: lagThreshold must be an integer >= 1, got 0',
    );
  });
});
