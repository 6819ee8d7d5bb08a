import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { InputError } from '../../errors';
import type { StackSettings } from '../../stack/stack-settings';
import type { Dataset, Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { kafkaPasswordSecretName, platformEndpoints, tenantNamespace, workloadName } from '../common/naming';

export interface SinkScaledObjectProps {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly settings: StackSettings;
  /** Consumer lag per replica KEDA aims for. @default 1000 */
  readonly lagThreshold?: number;
}

/** The sink's consumer group (the runtime's naming: `<client>.sink.<dataset>`). */
export function sinkConsumerGroup(tenant: Tenant, dataset: Dataset): string {
  return `${tenant.client}.sink.${dataset.name}`;
}

/**
 * KEDA ScaledObject scaling the dataset's sink Deployment between the agreement's min and max
 * replicas on the consumer lag of its group, authenticated as the tenant (TriggerAuthentication:
 * username from the sink container's env, password from the tenant's Kafka Secret). Typed with
 * @kubernetes-models/keda; made only when the stack turns KEDA on.
 */
export class SinkScaledObject extends Construct {
  constructor(scope: Construct, id: string, props: SinkScaledObjectProps) {
    super(scope, id);
    const { tenant, dataset, settings } = props;
    const lagThreshold = props.lagThreshold ?? 1000;
    if (!Number.isInteger(lagThreshold) || lagThreshold < 1) throw new InputError(`SinkScaledObject: lagThreshold must be an integer >= 1, got ${lagThreshold}`);
    const { minReplicas, maxReplicas } = tenant.agreement.stream;
    const name = workloadName(tenant, dataset, 'sink');
    const namespace = tenantNamespace(settings, tenant);
    const labels = tenantLabels(tenant, 'sink', dataset);

    const auth: ITriggerAuthentication = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name, namespace, labels },
      spec: {
        env: [{ parameter: 'username', name: 'KAFKA_USERNAME', containerName: 'sink' }],
        secretTargetRef: [{ parameter: 'password', name: kafkaPasswordSecretName(tenant), key: 'password' }],
      },
    };
    new ApiObject(this, 'trigger-authentication', auth);

    const scaled: IScaledObject = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { name },
        minReplicaCount: minReplicas,
        maxReplicaCount: maxReplicas,
        triggers: [
          {
            type: 'kafka',
            metadata: {
              bootstrapServers: platformEndpoints(settings).kafkaBootstrap,
              consumerGroup: sinkConsumerGroup(tenant, dataset),
              topic: dataset.topics.main,
              lagThreshold: String(lagThreshold),
              offsetResetPolicy: 'earliest',
              sasl: 'scram_sha512',
              tls: 'disable',
            },
            authenticationRef: { name },
          },
        ],
      },
    };
    new ApiObject(this, 'scaled-object', scaled);
  }
}
