import { describe, expect, it } from 'vitest';
import { runtimeEnv, runtimePodSpec, type RuntimePodProps } from '../../../../infra/constructs/tenant/runtime-pod';
import { secretRefs, seedTenant, testSettings, withAgreement } from '../../fixtures';

const props = (patch: Partial<RuntimePodProps> = {}): RuntimePodProps => {
  const tenant = seedTenant('client_a');
  return { tenant, settings: testSettings(), name: 'sink', args: ['sink'], resources: tenant.agreement.resources, ...patch };
};

describe('runtimeEnv', () => {
  it("logs in to Kafka and Cassandra as the tenant, from the tenant's own Secrets, which must exist", async () => {
    const env = Object.fromEntries(runtimeEnv(props()).map((e) => [e.name, e]));
    await expect(env.KAFKA_USERNAME).toEqual({ name: 'KAFKA_USERNAME', value: 'client-a' });
    await expect(env.KAFKA_SASL_MECHANISM).toEqual({ name: 'KAFKA_SASL_MECHANISM', value: 'scram-sha-512' });
    await expect(env.KAFKA_SSL).toEqual({ name: 'KAFKA_SSL', value: 'false' });
    for (const [name, secret, key] of [
      ['KAFKA_PASSWORD', 'client-a-kafka', 'password'],
      ['CASSANDRA_USERNAME', 'client-a-cassandra', 'username'],
      ['CASSANDRA_PASSWORD', 'client-a-cassandra', 'password'],
    ] as const) {
      await expect(env[name]).toEqual({ name, valueFrom: { secretKeyRef: { name: secret, key, optional: false } } });
    }
    await expect(Object.keys(env).filter((name) => name.startsWith('KAFKA_SASL_') && name !== 'KAFKA_SASL_MECHANISM')).toEqual([]);
  });
});

describe('runtimePodSpec', () => {
  it("runs as the tenant's service account and refers to no Secret but the tenant's", async () => {
    const pod = runtimePodSpec(props({ tenant: withAgreement(seedTenant('client_a'), { encryption: true }) }));
    await expect(pod.serviceAccountName).toBe('client-a');
    await expect(new Set(secretRefs(pod))).toEqual(new Set(['client-a-kafka', 'client-a-cassandra', 'client-a-keys']));
  });
});
