import { Construct } from 'constructs';
import { InputError } from '../../errors';
import { KafkaTopic } from '../../imports/kafka.strimzi.io';
import type { StackSettings } from '../../stack/stack-settings';
import { datasetTopicSpecs } from '../../tenant/topic-specs';
import type { Dataset, Tenant } from '../../tenant/types';
import { tenantLabels } from '../common/labels';
import { kafkaTopicResourceName, platformNamespace } from '../common/naming';

export interface DatasetTopicsProps {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly settings: StackSettings;
}

/**
 * The dataset's three KafkaTopics — `<client>.<dataset>` (validated rows), `.raw` (tenant messages)
 * and `.dlq` (rejects) — in the Kafka cluster's namespace, where Strimzi's topic operator watches.
 * `metadata.name` is the DNS form (`client-a.speed-tracking-data`); `spec.topicName` keeps the
 * client id. retention.ms from the agreement's retention; partitions from the agreement; replicas
 * from the stack.
 */
export class DatasetTopics extends Construct {
  constructor(scope: Construct, id: string, props: DatasetTopicsProps) {
    super(scope, id);
    const { tenant, dataset, settings } = props;
    const { partitions } = tenant.agreement.kafka;
    const { retentionMs } = tenant.agreement;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new InputError(`tenant "${tenant.client}": kafka.partitions must be an integer >= 1, got ${partitions}`);
    }
    if (!Number.isSafeInteger(retentionMs) || retentionMs < 1) {
      throw new InputError(`tenant "${tenant.client}": retention must be at least 1 ms, got ${retentionMs} ms`);
    }
    for (const spec of datasetTopicSpecs(tenant, dataset, settings.replicas.kafkaTopics)) {
      const name = kafkaTopicResourceName(tenant, spec.topic);
      new KafkaTopic(this, name, {
        metadata: {
          name,
          namespace: platformNamespace(settings),
          labels: { ...tenantLabels(tenant, 'kafka', dataset), 'strimzi.io/cluster': settings.kafkaClusterName },
        },
        spec: { topicName: spec.topic, partitions: spec.partitions, replicas: spec.replicas, config: { ...spec.config } },
      });
    }
  }
}
