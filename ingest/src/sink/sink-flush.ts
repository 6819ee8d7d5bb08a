import type { KafkaMessage } from 'kafkajs';
import type { Dataset } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import type { CassandraWriter } from '../cassandra/cassandra-writer';
import { InputError } from '../../../infra/errors';
import { HEADER_FILE, HEADER_ROW } from '../kafka/dlq';
import { orderOf } from '../kafka/write-order';
import type { Rejection } from '../pipeline/rejection';
import type { KeyOf } from '../wrangle/primary-key';

/** Rule names of the sink's rejections in the DLQ. */
export const RULE_DECODE = 'decode';
export const RULE_WRITE = 'write';

/** One decoded message with where it came from. */
export interface DecodedMessage {
  readonly record: Readonly<Record<string, unknown>>;
  readonly message: KafkaMessage;
  /** Its write timestamp in µs (kafka/write-order.ts). */
  readonly order: number;
}

/**
 * Keeps only the newest version of each primary key by write order (kafka/write-order.ts), the later
 * message winning a tie (in the order keys first appeared: rows of distinct keys are independent).
 * A replayed older version later in the partition must not hide the newer one.
 */
export function latestPerKey(decoded: readonly DecodedMessage[], keyOf: KeyOf): DecodedMessage[] {
  const latest = new Map<string, DecodedMessage>();
  for (const d of decoded) {
    const key = keyOf(d.record);
    const kept = latest.get(key);
    if (kept === undefined || d.order >= kept.order) latest.set(key, d);
  }
  return [...latest.values()];
}

/** A Kafka batch decoded and reduced to the last version per key, ready to write. */
export interface PreparedFlush {
  readonly topic: string;
  readonly partition: number;
  /** Messages in the batch. */
  readonly messages: number;
  readonly latest: readonly DecodedMessage[];
  /** Older versions dropped because a later message had the same primary key. */
  readonly deduplicated: number;
  /** Messages that could not be decoded. */
  readonly undecodable: readonly Rejection[];
}

export interface FlushResult {
  readonly messages: number;
  readonly written: number;
  readonly deduplicated: number;
  /** Distinct Cassandra partitions written. */
  readonly partitions: number;
  readonly statements: number;
  /** Undecodable messages and rows Cassandra refused: for the DLQ. */
  readonly rejections: readonly Rejection[];
}

export interface FlushContext {
  readonly client: string;
  readonly dataset: Dataset;
  readonly codec: AvroCodec;
  readonly writer: CassandraWriter;
  /** The primary key of a decoded record (the same key function the producers use). */
  readonly keyOf: KeyOf;
}

function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Where a rejected message came from: its source file and row when the producer set the headers,
 * else the Kafka coordinates; `raw` keeps the message itself (base64) so it can be replayed.
 */
function rejection(ctx: FlushContext, topic: string, partition: number, message: KafkaMessage, reason: string, rule: string): Rejection {
  const row = Number(header(message, HEADER_ROW));
  return {
    tenant: ctx.client,
    dataset: ctx.dataset.name,
    file: header(message, HEADER_FILE) ?? `${topic}@${partition}:${message.offset}`,
    record: Number.isInteger(row) && row > 0 ? row : Number(message.offset) + 1,
    reason,
    rule,
    raw: { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null, value: message.value?.toString('base64') ?? null },
  };
}

/** Decodes one Kafka batch and keeps the last version per primary key (CPU only, no I/O). */
export function prepareFlush(ctx: FlushContext, topic: string, partition: number, messages: readonly KafkaMessage[]): PreparedFlush {
  const undecodable: Rejection[] = [];
  const decoded: DecodedMessage[] = [];
  for (const message of messages) {
    if (message.value === null) {
      undecodable.push(rejection(ctx, topic, partition, message, 'message has no value (tombstone): the sink never deletes rows', RULE_DECODE));
      continue;
    }
    try {
      decoded.push({ record: ctx.codec.decode(message.value), message, order: orderOf(message) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      undecodable.push(rejection(ctx, topic, partition, message, err.message, RULE_DECODE));
    }
  }
  const latest = latestPerKey(decoded, ctx.keyOf);
  return { topic, partition, messages: messages.length, latest, deduplicated: decoded.length - latest.length, undecodable };
}

/**
 * Writes a prepared batch. Rows Cassandra refuses join the undecodable messages as rejections;
 * transient engine errors propagate (nothing is committed, the write is repeated: upserts make
 * that safe).
 */
export async function writeFlush(ctx: FlushContext, prepared: PreparedFlush): Promise<FlushResult> {
  const result = await ctx.writer.write(prepared.latest.map((d) => d.record), prepared.latest.map((d) => d.order));
  const rejections = [...prepared.undecodable];
  for (const failure of result.failures) {
    const { message } = prepared.latest[failure.index]!;
    rejections.push(rejection(ctx, prepared.topic, prepared.partition, message, failure.error.message, RULE_WRITE));
  }
  return {
    messages: prepared.messages,
    written: result.rows,
    deduplicated: prepared.deduplicated,
    partitions: result.partitions,
    statements: result.statements,
    rejections,
  };
}
