import type { Kafka, Producer } from 'kafkajs';
import { fastDefaultPartitioner } from './partitioner';

/**
 * The runtime's producer: idempotent (no duplicates from retries, order kept per partition; sends
 * use acks = all), at most 5 requests in flight per connection as idempotence requires, and a
 * bounded retry count so a dead cluster fails the run instead of hanging it (kafkajs warns once
 * that bounded retries weaken exactly-once; rows are upserted by primary key, so a resend is harmless).
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    // Java-compatible murmur2 partitioning: Kafka Connect and Java clients agree on a key's partition.
    createPartitioner: fastDefaultPartitioner,
    maxInFlightRequests: 5,
    retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
}
