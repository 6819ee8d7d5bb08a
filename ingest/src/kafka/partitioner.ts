import type { ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;
const SEED = 0x9747b28c;

const NOT_ASCII = /[^\x00-\x7f]/;

type ByteAt<T> = (data: T, i: number) => number;
const bufferByte: ByteAt<Buffer> = (b, i) => b[i]!;
// An ASCII string's characters are its UTF-8 bytes: read in place, nothing copied.
const asciiByte: ByteAt<string> = (s, i) => s.charCodeAt(i);

/** Kafka's (Java client's) murmur2 of a key's bytes (a string's UTF-8), in 32-bit integer arithmetic. */
export function murmur2(key: Buffer | string): number {
  if (typeof key !== 'string') return murmur2Of(key, key.length, bufferByte);
  if (NOT_ASCII.test(key)) return murmur2(Buffer.from(key, 'utf8'));
  return murmur2Of(key, key.length, asciiByte);
}

function murmur2Of<T>(data: T, length: number, at: ByteAt<T>): number {
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (at(data, i4) & 0xff) | ((at(data, i4 + 1) & 0xff) << 8) | ((at(data, i4 + 2) & 0xff) << 16) | ((at(data, i4 + 3) & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= (at(data, tail + 2) & 0xff) << 16;
  if (rest >= 2) h ^= (at(data, tail + 1) & 0xff) << 8;
  if (rest >= 1) {
    h ^= at(data, tail) & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The Java client's default partitioning of keyed messages (murmur2 of the key, positive, modulo
 * the partition count) — the same partition kafkajs' DefaultPartitioner picks, without its 64-bit
 * Long arithmetic and per-message allocations, which were the producer's hottest spot. Messages
 * without a key go round-robin over partitions with a leader.
 */
export const fastDefaultPartitioner: ICustomPartitioner = () => {
  let counter = 0;
  return ({ partitionMetadata, message }) => {
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    const key = message.key;
    if (key !== undefined && key !== null) {
      return (murmur2(key) & 0x7fffffff) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    const pool = available.length > 0 ? available : partitionMetadata;
    return pool[(counter++ & 0x7fffffff) % pool.length]!.partitionId;
  };
};
