import type { Kafka } from 'kafkajs';
import type { Dataset } from '../../../infra/tenant/types';

/**
 * Creates a dataset's topics (main, raw, dlq) when missing — for local engines and tests; on
 * Kubernetes the KafkaTopic resources create them and tenants have no right to.
 */
export async function ensureTopics(kafka: Kafka, dataset: Dataset, partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq].filter((t) => !existing.has(t));
    if (missing.length > 0) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}
