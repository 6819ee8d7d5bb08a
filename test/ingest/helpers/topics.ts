import type { Kafka } from 'kafkajs';
import type { Dataset } from '../../../infra/tenant/types';
import { declareTopics, withAdmin } from '../../../ingest/src/kafka/topics';
import { tenantOf } from './datasets';

/** A test dataset's topics, declared as `provision` declares them (3 partitions, 7 days' retention). */
export async function ensureTopics(kafka: Kafka, dataset: Dataset): Promise<void> {
  // only the agreement's partitions and retention matter here, not the client
  await withAdmin(kafka, (admin) => declareTopics(admin, tenantOf('test', [dataset]), dataset));
}
