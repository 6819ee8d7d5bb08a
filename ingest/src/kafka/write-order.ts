import type { KafkaMessage } from 'kafkajs';

// The order in which versions of a row must win in Cassandra: the row's place in its source, as a
// write timestamp in microseconds (`INSERT … USING TIMESTAMP`). Cassandra keeps the version with the
// highest timestamp whatever order the writes arrive in, so a replay, a retried write or a sink
// replica that lost its partition mid-retry cannot overwrite a newer version with an older one.

/** Header carrying a row's write timestamp (µs, decimal) from the producer to the sink. */
export const HEADER_ORDER = 'mysimbdp-order';

/**
 * A file's rows are as new as the file: its modification time in µs (a replay of the file gives the
 * same timestamp; a file staged later wins). Within one file the pipeline keeps one row per key.
 */
export function fileOrder(mtimeNs: bigint): number {
  return Number(mtimeNs / 1000n);
}

/**
 * A message's order when it carries no order header (a tenant's raw message, or one produced by
 * another tool): its Kafka timestamp in µs — on raw topics the broker's append time
 * (`LogAppendTime`), so a tenant's clock cannot reorder its rows and a replay keeps its order. A
 * missing timestamp (-1) counts as 0. Versions of a key in one append tie: within one sink flush the
 * later message wins.
 */
export function messageOrder(message: Pick<KafkaMessage, 'timestamp'>): number {
  return Math.max(0, Number(message.timestamp)) * 1000;
}

/** The order a message carries: its header, else `messageOrder`. */
export function orderOf(message: Pick<KafkaMessage, 'timestamp' | 'headers'>): number {
  const raw = message.headers?.[HEADER_ORDER];
  const header = Array.isArray(raw) ? raw[0] : raw;
  const text = Buffer.isBuffer(header) ? header.toString('latin1') : typeof header === 'string' ? header : undefined;
  const value = text === undefined ? Number.NaN : Number(text);
  return Number.isSafeInteger(value) && value >= 0 ? value : messageOrder(message);
}
