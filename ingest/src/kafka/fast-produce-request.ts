/**
 * A drop-in for kafkajs 2.2's produce request v3 (which v4 to v7 extend) for uncompressed batches
 * without message timestamps — what every producer of ours sends. kafkajs encodes each record into
 * an Encoder of its own, copies them into the batch, copies the batch twice more and computes its
 * CRC-32C a byte at a time. This sizes each partition's batch first, writes its header and records
 * into one buffer and checksums it eight bytes a step: byte for byte the same request
 * (test/ingest/kafka/fast-produce-request.test.ts encodes both). Anything else (compression,
 * timestamps) goes to kafkajs' own request. Installed by `installKafkajsPatches()`.
 */
import type { Message } from 'kafkajs';
import { crc32c } from './crc32c';
import { recordBodySize, recordSize, writeRecord } from './fast-record-encoder';

/** The kafkajs Encoder methods this uses. */
export interface KafkajsEncoder {
  writeString(value: string | null): this;
  writeInt16(value: number): this;
  writeInt32(value: number): this;
  writeBuffer(value: Buffer): this;
}

/** kafkajs' Long (utils/long), which reads a producer id as kafkajs keeps it: a string, a number or a Long. */
export interface KafkajsLong {
  getHighBits(): number;
  getLowBits(): number;
}
export interface KafkajsLongClass {
  fromValue(value: unknown): KafkajsLong;
}

interface PartitionData {
  readonly partition: number;
  readonly firstSequence?: number;
  readonly messages: readonly Message[];
}

export interface ProduceRequestArgs {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  /** A string once the idempotent producer has one (InitProducerId), else -1 or absent. */
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly { readonly topic: string; readonly partitions: readonly PartitionData[] }[];
}

interface ProduceRequest {
  encode(): Promise<KafkajsEncoder>;
}

export type ProduceRequestFactory = (args: ProduceRequestArgs) => ProduceRequest;

/** Bytes before a batch's records: base offset, length, leader epoch, magic, CRC, then the CRC'd header. */
const PREFIX = 8 + 4 + 4 + 1 + 4;
const HEADER = 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;
const MAGIC = 2;
const TRANSACTIONAL = 16;

/** Record sizes of the batch being written: grown, never shrunk, so not one array per send. */
let bodies = new Int32Array(1024);

/** One partition's record batch (RecordBatch v2, uncompressed, every timestamp `now`). */
function recordBatch(data: PartitionData, now: number, transactional: boolean, producerId: KafkajsLong, producerEpoch: number): Buffer {
  const { messages } = data;
  if (bodies.length < messages.length) bodies = new Int32Array(Math.max(messages.length, bodies.length * 2));
  let size = PREFIX + HEADER;
  for (let i = 0; i < messages.length; i++) {
    const body = recordBodySize(messages[i]!, i, 0);
    bodies[i] = body;
    size += recordSize(body);
  }
  const buf = Buffer.allocUnsafe(size);
  buf.writeBigInt64BE(0n, 0); // base offset
  buf.writeInt32BE(size - 12, 8);
  buf.writeInt32BE(0, 12); // partition leader epoch
  buf.writeInt8(MAGIC, 16);
  let at = PREFIX;
  buf.writeInt16BE(transactional ? TRANSACTIONAL : 0, at);
  buf.writeInt32BE(messages.length - 1, at + 2); // last offset delta
  buf.writeBigInt64BE(BigInt(now), at + 6); // first timestamp
  buf.writeBigInt64BE(BigInt(now), at + 14); // max timestamp
  buf.writeInt32BE(producerId.getHighBits(), at + 22);
  buf.writeInt32BE(producerId.getLowBits(), at + 26);
  buf.writeInt16BE(producerEpoch, at + 30);
  buf.writeInt32BE(data.firstSequence ?? 0, at + 32);
  buf.writeInt32BE(messages.length, at + 36);
  at += HEADER;
  for (let i = 0; i < messages.length; i++) at = writeRecord(buf, at, messages[i]!, i, 0, bodies[i]!);
  buf.writeUInt32BE(crc32c(buf.subarray(PREFIX)), PREFIX - 4); // over everything after the CRC
  return buf;
}

export function createFastProduceRequest(Encoder: new () => KafkajsEncoder, Long: KafkajsLongClass, original: ProduceRequestFactory): ProduceRequestFactory {
  return (args) => {
    const request = original(args);
    const plain = (args.compression ?? 0) === 0
      && args.topicData.every((t) => t.partitions.every((p) => p.messages.every((m) => m.timestamp === undefined || m.timestamp === null)));
    if (!plain) return request;
    const { acks, timeout, topicData } = args;
    const transactional = args.transactionalId !== undefined && args.transactionalId !== null && args.transactionalId !== '';
    // kafkajs' own default when absent
    const producerId = Long.fromValue(args.producerId ?? -1);
    return {
      ...request,
      encode: async () => {
        const now = Date.now();
        const out = new Encoder().writeString(args.transactionalId ?? null).writeInt16(acks).writeInt32(timeout).writeInt32(topicData.length);
        for (const { topic, partitions } of topicData) {
          out.writeString(topic).writeInt32(partitions.length);
          for (const data of partitions) {
            const batch = recordBatch(data, now, transactional, producerId, args.producerEpoch ?? 0);
            out.writeInt32(data.partition).writeInt32(batch.length).writeBuffer(batch);
          }
        }
        return out;
      },
    };
  };
}
