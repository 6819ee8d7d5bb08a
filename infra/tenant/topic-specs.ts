import type { Dataset, Tenant } from './types';

// A dataset's topics as the tenant contract defines them, for both places that create them: the
// KafkaTopics Strimzi reconciles on a cluster, and `provision` on the local engines.

export interface TopicSpec {
  /** Kafka topic name, e.g. `client_a.speed-tracking-data.dlq`. */
  readonly topic: string;
  readonly partitions: number;
  readonly replicas: number;
  /** Topic configs, as numbers or strings the way a KafkaTopic's spec.config holds them. */
  readonly config: Readonly<Record<string, string | number>>;
}

/** Main, raw and DLQ topics: partitions and retention from the agreement, `replicas` from the stack. */
export function datasetTopicSpecs(tenant: Tenant, dataset: Dataset, replicas: number): TopicSpec[] {
  return [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq].map((topic) => ({
    topic,
    partitions: tenant.agreement.kafka.partitions,
    replicas,
    config: {
      'retention.ms': tenant.agreement.retentionMs,
      'cleanup.policy': 'delete',
      // One broker may fail without blocking acks=all producers, when there are enough replicas.
      'min.insync.replicas': Math.max(1, Math.min(2, replicas - 1)),
      // A raw message's write order is its timestamp: the broker's, not the tenant's clock.
      ...(topic === dataset.topics.raw ? { 'message.timestamp.type': 'LogAppendTime' } : {}),
    },
  }));
}
