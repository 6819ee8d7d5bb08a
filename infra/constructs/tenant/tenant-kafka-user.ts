import { Construct } from 'constructs';
import { InputError } from '../../errors';
import {
  KafkaUser,
  KafkaUserSpecAuthenticationType,
  KafkaUserSpecAuthorizationAclsOperations as Op,
  KafkaUserSpecAuthorizationAclsResourcePatternType,
  KafkaUserSpecAuthorizationAclsResourceType,
  KafkaUserSpecAuthorizationAclsType,
  KafkaUserSpecAuthorizationType,
  type KafkaUserSpecAuthorizationAcls,
} from '../../imports/kafka.strimzi.io';
import type { StackSettings } from '../../stack/stack-settings';
import type { Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { kafkaPasswordSecretName, kafkaPrefix, kafkaUserName, platformNamespace } from '../common/naming';
import { connectorGroupPrefix } from './tenant-kafka-connect';

export interface TenantKafkaUserProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

/**
 * KafkaUser `<dns-client>` (SCRAM-SHA-512, password from Secret `<dns-client>-kafka`) whose ACLs are
 * prefix patterns on `<client>.` only: its topics (read/write, no create/delete — topics belong to
 * the operator), its consumer groups and transactional ids; with connectors also the groups
 * `connect-<dns-client>.` of its sink connectors. Quotas from the agreement.
 */
export class TenantKafkaUser extends Construct {
  constructor(scope: Construct, id: string, props: TenantKafkaUserProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const { producerByteRate, consumerByteRate } = tenant.agreement.kafka;
    for (const [field, value] of [['kafka.producerByteRate', producerByteRate], ['kafka.consumerByteRate', consumerByteRate]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new InputError(`tenant "${tenant.client}": ${field} must be an integer >= 1, got ${value}`);
    }
    const prefix = kafkaPrefix(tenant);
    const acl = (type: KafkaUserSpecAuthorizationAclsResourceType, operations: Op[], name = prefix): KafkaUserSpecAuthorizationAcls => ({
      type: KafkaUserSpecAuthorizationAclsType.ALLOW,
      resource: { type, name, patternType: KafkaUserSpecAuthorizationAclsResourcePatternType.PREFIX },
      operations,
    });
    new KafkaUser(this, 'user', {
      metadata: {
        name: kafkaUserName(tenant),
        namespace: platformNamespace(settings),
        labels: { ...tenantLabels(tenant, 'kafka'), 'strimzi.io/cluster': settings.kafkaClusterName },
      },
      spec: {
        authentication: {
          type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512,
          password: { valueFrom: { secretKeyRef: { name: kafkaPasswordSecretName(tenant), key: 'password' } } },
        },
        authorization: {
          type: KafkaUserSpecAuthorizationType.SIMPLE,
          acls: [
            acl(KafkaUserSpecAuthorizationAclsResourceType.TOPIC, [Op.READ, Op.WRITE, Op.DESCRIBE, Op.DESCRIBE_CONFIGS]),
            acl(KafkaUserSpecAuthorizationAclsResourceType.GROUP, [Op.READ, Op.DESCRIBE]),
            acl(KafkaUserSpecAuthorizationAclsResourceType.TRANSACTIONAL_ID, [Op.WRITE, Op.DESCRIBE]),
            // Kafka Connect names a sink connector's group `connect-<connector>`; connectors are `<dns-client>.<name>`.
            ...(tenant.agreement.connectors.length > 0
              ? [acl(KafkaUserSpecAuthorizationAclsResourceType.GROUP, [Op.READ, Op.DESCRIBE], connectorGroupPrefix(tenant))]
              : []),
          ],
        },
        quotas: { producerByteRate, consumerByteRate },
      },
    });
  }
}
