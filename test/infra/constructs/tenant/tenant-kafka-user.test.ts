import { describe, expect, it } from 'vitest';
import { TenantKafkaUser } from '../../../../infra/constructs/tenant/tenant-kafka-user';
import { JDBC_SINK, one, render, seedTenant, testSettings, thrownMessage, withAgreement } from '../../fixtures';

const settings = testSettings();

describe('TenantKafkaUser', () => {
  it('is a SCRAM user whose ACLs are prefix patterns on <client>. with the agreement quotas', () => {
    const user = one(render((chart) => new TenantKafkaUser(chart, 'u', { tenant: seedTenant('client_a'), settings })), 'KafkaUser');
    expect(user.metadata).toMatchObject({ name: 'client-a', namespace: 'mysimbdp-platform', labels: { 'strimzi.io/cluster': 'mysimbdp', 'mysimbdp.io/tenant': 'client_a' } });
    const prefix = (type: string) => ({ type, name: 'client_a.', patternType: 'prefix' });
    expect(user.spec).toEqual({
      authentication: { type: 'scram-sha-512', password: { valueFrom: { secretKeyRef: { name: 'client-a-kafka', key: 'password' } } } },
      authorization: {
        type: 'simple',
        acls: [
          { type: 'allow', resource: prefix('topic'), operations: ['Read', 'Write', 'Describe', 'DescribeConfigs'] },
          { type: 'allow', resource: prefix('group'), operations: ['Read', 'Describe'] },
          { type: 'allow', resource: prefix('transactionalId'), operations: ['Write', 'Describe'] },
        ],
      },
      quotas: { producerByteRate: 10_485_760, consumerByteRate: 20_971_520 },
    });
  });

  it("adds the sink connectors' group prefix when there are connectors", () => {
    const tenant = withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] });
    const user = one(render((chart) => new TenantKafkaUser(chart, 'u', { tenant, settings })), 'KafkaUser');
    const acls = (user.spec as { authorization: { acls: { resource: { name: string } }[] } }).authorization.acls;
    expect(acls.map((a) => a.resource.name)).toEqual(['client_a.', 'client_a.', 'client_a.', 'connect-client-a.']);
  });

  it.each([
    [{ producerByteRate: 0, consumerByteRate: 1, partitions: 3 }, 'tenant "client_a": kafka.producerByteRate must be an integer >= 1, got 0'],
    [{ producerByteRate: 1, consumerByteRate: 1.5, partitions: 3 }, 'tenant "client_a": kafka.consumerByteRate must be an integer >= 1, got 1.5'],
  ])('refuses quotas %j', async (kafka, message) => {
    const tenant = withAgreement(seedTenant('client_a'), { kafka });
    expect(thrownMessage(() => render((chart) => new TenantKafkaUser(chart, 'u', { tenant, settings })))).toBe(message);
  });
});
