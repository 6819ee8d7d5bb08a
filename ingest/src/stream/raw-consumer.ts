import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import { isRebalanceError } from '../kafka/kafka-client';
import { messageOrder } from '../kafka/write-order';
import { errorFields, type Logger } from '../log';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { KafkaSender, type KafkaSenderOptions } from '../pipeline/kafka-sender';
import { runPipeline } from '../pipeline/pipeline';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../../infra/json-depth';
import { MAX_ERROR_TEXT, type RawRecord } from '../readers/raw-record';
import type { WorkDone } from './stream-stats';

/** Consumer group of a tenant dataset's stream instances (prefixed `<client>.` for the ACLs). */
export function streamGroupId(tenant: Tenant, dataset: Dataset): string {
  return `${tenant.client}.stream.${dataset.name}`;
}

/** A raw-topic message as a record for the pipeline: a JSON object (nested at most MAX_JSON_DEPTH), or an error naming the offset. */
export function messageRecord(message: KafkaMessage, index: number, partition: number): RawRecord {
  const base = { record: index + 1, line: Number(message.offset) };
  const text = message.value?.toString('utf8');
  if (text === undefined) return { ...base, error: `message at partition ${partition} offset ${message.offset} has no value` };
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ...base, error: `message at partition ${partition} offset ${message.offset} is not a JSON object`, text: text.slice(0, MAX_ERROR_TEXT) };
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { ...base, error: `message at partition ${partition} offset ${message.offset} is nested deeper than ${MAX_JSON_DEPTH} levels`, text: text.slice(0, MAX_ERROR_TEXT) };
    return { ...base, fields: parsed as Record<string, unknown> };
  } catch (err) {
    return { ...base, error: `message at partition ${partition} offset ${message.offset} is not valid JSON: ${(err as Error).message}`, text: text.slice(0, MAX_ERROR_TEXT) };
  }
}

export interface RawConsumerOptions {
  readonly kafka: Kafka;
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly codec: AvroCodec;
  readonly producer: Producer;
  /** @default KafkaSender's defaults */
  readonly sender?: KafkaSenderOptions;
  readonly logger: Logger;
  /** @default no metrics */
  readonly metrics?: IngestMetrics;
  /** Told what each message batch did (the monitor reports). @default nothing */
  readonly onWork?: (work: WorkDone) => void;
  /** Bytes fetched per partition and request. @default 1048576 */
  readonly maxBytesPerPartition?: number;
  /** Partitions handled at the same time (a key stays in one partition, so order per key holds). @default 3 */
  readonly partitionsConsumedConcurrently?: number;
  /** Told once when the consumer crashed for good. @default nothing */
  readonly onFailure?: (error: Error) => void;
}

/**
 * The stream's message trigger: `<client>.<dataset>.raw` (JSON objects) through the same pipeline as
 * files. Offsets are committed only after the pipeline returned, i.e. after Kafka acknowledged every
 * row and rejection it produced — a crash re-reads the batch, and re-produced rows are upserts.
 */
export class RawConsumer {
  readonly consumer: Consumer;

  constructor(private readonly options: RawConsumerOptions) {
    this.consumer = options.kafka.consumer({
      groupId: streamGroupId(options.tenant, options.dataset),
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
      // As the sink: a crash ends the process (its supervisor restarts it), never a silent in-process loop.
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (!event.payload.restart) options.onFailure?.(event.payload.error);
    });
  }

  async start(): Promise<void> {
    const { tenant, dataset, codec, producer, logger, metrics } = this.options;
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: dataset.topics.raw, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        if (batch.messages.length === 0) return;
        const started = Date.now();
        const records = batch.messages.map((m, i) => messageRecord(m, i, batch.partition));
        const source = `${batch.topic}@${batch.partition}`;
        const result = await runPipeline(
          // A sender per batch: a failed send poisons its sender, and kafkajs retries the batch.
          { tenant: tenant.client, dataset, codec, sender: new KafkaSender(producer, this.options.sender) },
          {
            source,
            deduplicate: false, // each message keeps its own order (its broker timestamp): the later one wins in Cassandra
            now: started,
            order: (rec) => messageOrder(batch.messages[rec.record - 1] as KafkaMessage),
            records: async function* () {
              yield records;
            },
          },
        );
        const last = batch.messages[batch.messages.length - 1] as KafkaMessage;
        resolveOffset(last.offset);
        try {
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        } catch (err) {
          // The partition moved to another member, which replays from the last commit into the same upserts.
          if (!isRebalanceError(err)) throw err;
          logger.warn('commit skipped: the group is rebalancing', { source, last_offset: last.offset, ...errorFields(err) });
        }
        await heartbeat();
        const bytes = batch.messages.reduce((n, m) => n + (m.value?.length ?? 0), 0);
        const durationMs = Date.now() - started;
        logger.info('messages', { source, first_offset: batch.firstOffset(), last_offset: last.offset, messages: batch.messages.length, rows_ok: result.rowsOk, rows_rejected: result.rowsRejected, duration_ms: durationMs, quality: result.quality });
        if (metrics !== undefined) {
          const labels = { tenant: tenant.client, dataset: dataset.name };
          metrics.rows.inc({ ...labels, result: 'ok' }, result.rowsOk);
          metrics.rows.inc({ ...labels, result: 'rejected' }, result.rowsRejected);
          for (const [rule, n] of Object.entries(result.quality)) metrics.rejectedByRule.inc({ ...labels, rule }, n);
        }
        this.options.onWork?.({ messages: batch.messages.length, rows: result.rowsOk, bytes, durationMs, errors: result.rowsRejected });
      },
    });
  }

  /** Lets the batch in progress finish (its offsets committed) and leaves the group. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
