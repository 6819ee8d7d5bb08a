import { describe, expect, it } from 'vitest';
import { tenantKafkaAccess } from '../../../../infra/constructs/common/kafka-access';
import { JDBC_SINK, seedTenant, thrownMessage, withAgreement } from '../../fixtures';

describe('tenantKafkaAccess', () => {
  it('grants prefix rules on <client>. only, and the agreement\'s quotas', async () => {
    expect(tenantKafkaAccess(seedTenant('client_a'))).toEqual({
      user: 'client-a',
      acls: [
        { resource: 'topic', prefix: 'client_a.', operations: ['Read', 'Write', 'Describe', 'DescribeConfigs'] },
        { resource: 'group', prefix: 'client_a.', operations: ['Read', 'Describe'] },
        { resource: 'transactionalId', prefix: 'client_a.', operations: ['Write', 'Describe'] },
      ],
      quotas: { producerByteRate: 10_485_760, consumerByteRate: 20_971_520 },
    });
  });

  it('adds the sink connectors\' groups when the agreement has connectors', async () => {
    const access = tenantKafkaAccess(withAgreement(seedTenant('client_a'), { connectors: [JDBC_SINK] }));
    expect(access.acls.at(-1)).toEqual({ resource: 'group', prefix: 'connect-client-a.', operations: ['Read', 'Describe'] });
  });

  it('refuses a quota that is not a positive integer', async () => {
    const tenant = withAgreement(seedTenant('client_a'), { kafka: { partitions: 3, producerByteRate: 0, consumerByteRate: 1 } });
    expect(thrownMessage(() => tenantKafkaAccess(tenant))).toBe('tenant "client_a": kafka.producerByteRate must be an integer >= 1, got 0');
  });
});
