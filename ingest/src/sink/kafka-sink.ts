import type * as cassandra from 'cassandra-driver';
import type { Admin, Batch, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { Dataset } from '../../../infra/tenant/types';
import { createAvroCodec } from '../avro/avro-codec';
import { CassandraWriter, type CassandraWriterOptions } from '../cassandra/cassandra-writer';
import { EngineError } from '../../../infra/errors';
import { requireTopics } from '../kafka/topics';
import { toDlqMessage } from '../kafka/dlq';
import { isRebalanceError, kafkaConnectError } from '../kafka/kafka-client';
import { createIdempotentProducer } from '../kafka/producer';
import { createLogger, errorFields, type Logger } from '../log';
import type { Rejection } from '../pipeline/rejection';
import { isRetriable, retry } from '../retry';
import { primaryKeyOf } from '../wrangle/primary-key';
import { prepareFlush, writeFlush, type FlushContext, type FlushResult, type PreparedFlush } from './sink-flush';
import { createSinkMetrics, type SinkMetrics } from './sink-metrics';

export interface KafkaSinkOptions {
  /** Consumer group. @default `<client>.sink.<dataset>` */
  readonly groupId?: string;
  /** Partitions flushed at the same time (Kafka keeps a key in one partition, so they never race). @default 3 */
  readonly partitionsConsumedConcurrently?: number;
  /** Bytes fetched per partition per request: the size of one flush. @default 1048576 */
  readonly maxBytesPerPartition?: number;
  /** Attempts of a whole flush after transient errors (each statement is retried inside too). @default 6 */
  readonly flushAttempts?: number;
  /** First delay between flush attempts, doubled each time (full jitter, at most 30 s). @default 1000 */
  readonly flushBaseDelayMs?: number;
  /** Options of the Cassandra writer. @default CassandraWriter's defaults */
  readonly writer?: CassandraWriterOptions;
  /** @default a JSON logger with tenant and dataset */
  readonly logger?: Logger;
  /** @default fresh metrics on their own registry */
  readonly metrics?: SinkMetrics;
}

/** How far the group is: messages between its committed offsets and the high watermarks. */
export interface GroupProgress {
  readonly lag: number;
  readonly caughtUp: boolean;
}

/**
 * Messages not yet committed by `groupId`, summed over the topic's partitions. A partition the
 * group never committed counts from its low watermark (older messages are gone to retention).
 */
export async function groupProgress(admin: Admin, groupId: string, topic: string): Promise<GroupProgress> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const byPartition = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  let lag = 0;
  for (const end of ends) {
    const at = byPartition.get(end.partition) ?? -1;
    lag += Math.max(0, Number(end.high) - (at < 0 ? Number(end.low) : at));
  }
  return { lag, caughtUp: lag === 0 };
}

/**
 * Kafka → Cassandra for one tenant dataset. Each Kafka batch (one partition) is decoded, reduced
 * to the last version per primary key, written, its rejects sent to the DLQ, and only then its
 * offsets committed — a crash anywhere before the commit replays the batch, and the upserts make
 * the replay harmless. Transient failures repeat the flush with backoff; a permanent one stops
 * the sink (`failed` resolves) with nothing committed past the last good flush. Offsets are
 * committed explicitly (autoCommit off), never by kafkajs on its own.
 */
export class KafkaSink {
  readonly topic: string;
  readonly dlqTopic: string;
  readonly groupId: string;
  readonly metrics: SinkMetrics;
  /** Resolves with the error that stopped the consumer. */
  readonly failed: Promise<Error>;
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly context: FlushContext;
  private readonly log: Logger;
  private readonly options: KafkaSinkOptions;
  private readonly labels: { tenant: string; dataset: string };
  private readonly abort = new AbortController();
  private reportFailure: (err: Error) => void = () => undefined;
  /** Per Kafka partition: the flush whose write and commit must finish before the next one starts (true: committed). */
  private readonly chains = new Map<number, Promise<boolean>>();
  private readonly inFlight = new Set<Promise<boolean>>();
  private failure: Error | undefined;
  private stopping = false;

  constructor(kafka: Kafka, cassandraClient: cassandra.Client, client: string, dataset: Dataset, options: KafkaSinkOptions = {}) {
    for (const key of ['partitionsConsumedConcurrently', 'maxBytesPerPartition', 'flushAttempts'] as const) {
      const value = options[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new RangeError(`KafkaSink: ${key} must be an integer >= 1, got ${value}`);
    }
    this.options = options;
    this.topic = dataset.topics.main;
    this.dlqTopic = dataset.topics.dlq;
    this.groupId = options.groupId ?? `${client}.sink.${dataset.name}`;
    this.labels = { tenant: client, dataset: dataset.name };
    this.metrics = options.metrics ?? createSinkMetrics();
    this.log = options.logger ?? createLogger({ component: 'sink', tenant: client, dataset: dataset.name });
    this.context = {
      client,
      dataset,
      codec: createAvroCodec(dataset),
      keyOf: primaryKeyOf(dataset),
      writer: new CassandraWriter(cassandraClient, dataset, {
        ...options.writer,
        onRetry: (err, attempt, delayMs) => this.log.warn('cassandra statement retry', { attempt, delay_ms: delayMs, ...errorFields(err) }),
      }),
    };
    this.consumer = kafka.consumer({
      groupId: this.groupId,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
      maxWaitTimeInMs: 250,
      // A killed sink's partitions move to a new member after 15 s instead of kafkajs' 30 s.
      sessionTimeout: 15_000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      // A crash ends the process (the orchestrator restarts it) instead of a silent in-process loop.
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.producer = createIdempotentProducer(kafka);
    this.admin = kafka.admin();
    this.failed = new Promise((resolve) => {
      this.reportFailure = resolve;
    });
  }

  /** Connects, checks the table and topics exist, and starts consuming from the group's offsets (earliest for a new group). */
  async start(): Promise<void> {
    await this.context.writer.checkTable();
    try {
      await Promise.all([this.admin.connect(), this.producer.connect(), this.consumer.connect()]);
    } catch (err) {
      throw kafkaConnectError(err, this.labels);
    }
    await requireTopics(this.admin, [this.topic, this.dlqTopic], this.labels);
    this.consumer.on(this.consumer.events.CRASH, (event) => this.reportFailure(this.failure ?? event.payload.error));
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** The group's committed offsets against the topic's high watermarks. */
  progress(): Promise<GroupProgress> {
    return groupProgress(this.admin, this.groupId, this.topic);
  }

  /**
   * Resolves once every message of the topic is written and committed (polls the committed
   * offsets). A failed poll (Kafka restarting) is logged and polled again: whether the sink gives
   * up is the consumer's decision (`failed`), not the poll's.
   */
  async untilIdle(pollMs = 500): Promise<void> {
    for (;;) {
      try {
        if ((await this.progress()).caughtUp) return;
      } catch (err) {
        this.log.warn('progress check failed', errorFields(err));
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Graceful stop: no new flush starts; the ones in progress finish and commit; then everything disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    try {
      this.consumer.pause([{ topic: this.topic }]);
    } catch {
      // not running (never started, or crashed): nothing to pause
    }
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.consumer.disconnect();
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  /**
   * Pipelined per partition: batch N+1 is fetched and decoded while batch N is written; its
   * write starts only once N is written and committed, so versions of a key land in offset order
   * and the committed offset never passes an unwritten message.
   */
  private async onBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.stopping || batch.messages.length === 0) return;
    const started = performance.now();
    const prepared = prepareFlush(this.context, batch.topic, batch.partition, batch.messages);
    const previousCommitted = await this.chains.get(batch.partition);
    if (this.failure !== undefined) throw this.failure;
    if (this.stopping) return; // not resolved: the next owner or run reads it again
    if (previousCommitted === false) {
      // The group rebalanced under the previous flush: this batch belongs to the partition's next
      // owner (maybe us again, re-reading from the last commit). Writing it now could race that owner.
      this.chains.delete(batch.partition);
      return;
    }
    const flush = this.writeAndCommit(batch, prepared, started, heartbeat);
    this.chains.set(batch.partition, flush);
    this.inFlight.add(flush);
    flush.then(
      () => this.inFlight.delete(flush),
      (err: unknown) => {
        this.inFlight.delete(flush);
        this.failure ??= err instanceof Error ? err : new Error(String(err));
        this.reportFailure(this.failure);
      },
    );
    resolveOffset(batch.lastOffset());
    await heartbeat();
  }

  /** Writes, sends rejects to the DLQ, commits; false when the commit was skipped for a rebalance. */
  private async writeAndCommit(batch: Batch, prepared: PreparedFlush, started: number, heartbeat: () => Promise<void>): Promise<boolean> {
    const fields = { topic: batch.topic, partition: batch.partition, first_offset: batch.firstOffset(), last_offset: batch.lastOffset() };
    let result: FlushResult;
    let committed: boolean;
    try {
      result = await retry(
        async () => {
          const flushed = await writeFlush(this.context, prepared);
          if (flushed.rejections.length > 0) await this.sendToDlq(flushed.rejections);
          return flushed;
        },
        {
          attempts: this.options.flushAttempts ?? 6,
          baseDelayMs: this.options.flushBaseDelayMs ?? 1000,
          maxDelayMs: 30_000,
          signal: this.abort.signal,
          onRetry: (err, attempt, delayMs) => {
            this.metrics.retries.inc(this.labels);
            this.log.warn('flush', { ...fields, rows: prepared.messages, outcome: 'retry', attempt, delay_ms: delayMs, ...errorFields(err) });
            heartbeat().catch(() => undefined);
          },
        },
      );
      committed = await this.commit(batch);
    } catch (err) {
      const seconds = (performance.now() - started) / 1000;
      this.metrics.flushDuration.observe({ ...this.labels, outcome: 'failed' }, seconds);
      this.log.error('flush', { ...fields, rows: prepared.messages, duration_ms: Math.round(seconds * 1000), outcome: 'failed', ...errorFields(err) });
      throw err;
    }
    const seconds = (performance.now() - started) / 1000;
    this.metrics.flushDuration.observe({ ...this.labels, outcome: committed ? 'ok' : 'uncommitted' }, seconds);
    this.metrics.rows.inc({ ...this.labels, result: 'written' }, result.written);
    this.metrics.rows.inc({ ...this.labels, result: 'deduplicated' }, result.deduplicated);
    this.metrics.rows.inc({ ...this.labels, result: 'dlq' }, result.rejections.length);
    this.metrics.lag.set({ ...this.labels, partition: String(batch.partition) }, Number(batch.offsetLag()));
    this.log.info('flush', {
      ...fields,
      rows: result.messages,
      written: result.written,
      deduplicated: result.deduplicated,
      dlq: result.rejections.length,
      partitions: result.partitions,
      statements: result.statements,
      duration_ms: Math.round(seconds * 1000),
      outcome: committed ? 'ok' : 'uncommitted',
    });
    return committed;
  }

  /**
   * Commits the offset after `batch`. A group rebalance (another replica joined or left) makes the
   * commit fail: the partition's next owner replays from the last commit — harmless upserts — so
   * that is logged, not fatal.
   */
  private async commit(batch: Batch): Promise<boolean> {
    try {
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: nextOffset(batch) }]);
      return true;
    } catch (err) {
      if (!isRebalanceError(err)) throw err;
      this.log.warn('commit skipped: the group is rebalancing', { topic: batch.topic, partition: batch.partition, last_offset: batch.lastOffset(), ...errorFields(err) });
      return false;
    }
  }

  private async sendToDlq(rejections: readonly Rejection[]): Promise<void> {
    try {
      await this.producer.send({ topic: this.dlqTopic, acks: -1, messages: rejections.map((r) => toDlqMessage(r)) });
    } catch (err) {
      throw new EngineError(`cannot send ${rejections.length} rejected row(s) to ${this.dlqTopic}: ${(err as Error).message}`, {
        cause: err,
        retriable: isRetriable(err),
        context: this.labels,
      });
    }
  }
}

function nextOffset(batch: Batch): string {
  return (BigInt(batch.lastOffset()) + 1n).toString();
}
