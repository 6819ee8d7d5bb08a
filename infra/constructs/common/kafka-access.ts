import { InputError } from '../../errors';
import type { Tenant } from '../../tenant/types';
import { connectorGroupPrefix, kafkaPrefix, kafkaUserName } from './naming';

// What a tenant may do on Kafka, in one place: the KafkaUser Strimzi reconciles on a cluster is made
// from it, and so will be the local engines' SCRAM user and ACLs, so that both grant the same.

export type KafkaAclResource = 'topic' | 'group' | 'transactionalId';
export type KafkaAclOperation = 'Read' | 'Write' | 'Describe' | 'DescribeConfigs';

/** An ALLOW rule on every resource whose name starts with `prefix`. */
export interface KafkaAcl {
  readonly resource: KafkaAclResource;
  readonly prefix: string;
  readonly operations: readonly KafkaAclOperation[];
}

export interface KafkaAccess {
  /** SCRAM-SHA-512 user name. */
  readonly user: string;
  readonly acls: readonly KafkaAcl[];
  /** Bytes per second, from the agreement. */
  readonly quotas: { readonly producerByteRate: number; readonly consumerByteRate: number };
}

/**
 * Prefix rules on `<client>.` only: its topics (read/write, no create/delete — topics belong to the
 * platform), its consumer groups and transactional ids; with connectors also the groups
 * `connect-<dns-client>.` of its sink connectors. Quotas from the agreement.
 */
export function tenantKafkaAccess(tenant: Tenant): KafkaAccess {
  const { producerByteRate, consumerByteRate } = tenant.agreement.kafka;
  for (const [field, value] of [['kafka.producerByteRate', producerByteRate], ['kafka.consumerByteRate', consumerByteRate]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new InputError(`tenant "${tenant.client}": ${field} must be an integer >= 1, got ${value}`);
  }
  const prefix = kafkaPrefix(tenant);
  return {
    user: kafkaUserName(tenant),
    acls: [
      { resource: 'topic', prefix, operations: ['Read', 'Write', 'Describe', 'DescribeConfigs'] },
      { resource: 'group', prefix, operations: ['Read', 'Describe'] },
      { resource: 'transactionalId', prefix, operations: ['Write', 'Describe'] },
      ...(tenant.agreement.connectors.length > 0 ? [{ resource: 'group' as const, prefix: connectorGroupPrefix(tenant), operations: ['Read', 'Describe'] as const }] : []),
    ],
    quotas: { producerByteRate, consumerByteRate },
  };
}
