import { Construct } from 'constructs';
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
import { tenantKafkaAccess, type KafkaAclOperation, type KafkaAclResource } from '../common/kafka-access';
import { kafkaPasswordSecretName, platformNamespace } from '../common/naming';

export interface TenantKafkaUserProps {
  readonly tenant: Tenant;
  readonly settings: StackSettings;
}

const RESOURCE: Readonly<Record<KafkaAclResource, KafkaUserSpecAuthorizationAclsResourceType>> = {
  topic: KafkaUserSpecAuthorizationAclsResourceType.TOPIC,
  group: KafkaUserSpecAuthorizationAclsResourceType.GROUP,
  transactionalId: KafkaUserSpecAuthorizationAclsResourceType.TRANSACTIONAL_ID,
};
const OPERATION: Readonly<Record<KafkaAclOperation, Op>> = { Read: Op.READ, Write: Op.WRITE, Describe: Op.DESCRIBE, DescribeConfigs: Op.DESCRIBE_CONFIGS };

/**
 * KafkaUser `<dns-client>` (SCRAM-SHA-512, password from Secret `<dns-client>-kafka`) granting the
 * tenant's Kafka access (common/kafka-access.ts): prefix ACLs on `<client>.` and the agreement's quotas.
 */
export class TenantKafkaUser extends Construct {
  constructor(scope: Construct, id: string, props: TenantKafkaUserProps) {
    super(scope, id);
    const { tenant, settings } = props;
    const access = tenantKafkaAccess(tenant);
    const acls: KafkaUserSpecAuthorizationAcls[] = access.acls.map((a) => ({
      type: KafkaUserSpecAuthorizationAclsType.ALLOW,
      resource: { type: RESOURCE[a.resource], name: a.prefix, patternType: KafkaUserSpecAuthorizationAclsResourcePatternType.PREFIX },
      operations: a.operations.map((o) => OPERATION[o]),
    }));
    new KafkaUser(this, 'user', {
      metadata: {
        name: access.user,
        namespace: platformNamespace(settings),
        labels: { ...tenantLabels(tenant, 'kafka'), 'strimzi.io/cluster': settings.kafkaClusterName },
      },
      spec: {
        authentication: {
          type: KafkaUserSpecAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512,
          password: { valueFrom: { secretKeyRef: { name: kafkaPasswordSecretName(tenant), key: 'password' } } },
        },
        authorization: { type: KafkaUserSpecAuthorizationType.SIMPLE, acls },
        quotas: { ...access.quotas },
      },
    });
  }
}
