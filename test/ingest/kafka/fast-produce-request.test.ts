import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFastProduceRequest, type KafkajsEncoder, type KafkajsLongClass, type ProduceRequestArgs, type ProduceRequestFactory } from '../../../ingest/src/kafka/fast-produce-request';

/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder') as new () => KafkajsEncoder & { buffer: Buffer };
const Long = require('kafkajs/src/utils/long') as KafkajsLongClass & { fromInt(v: number): unknown };
const { Types } = require('kafkajs/src/protocol/message/compression') as { Types: { None: number; GZIP: number } };
const original = require('kafkajs/src/protocol/requests/produce/v3/request') as ProduceRequestFactory;
const fast = createFastProduceRequest(Encoder, Long, original);

const bytes = async (factory: ProduceRequestFactory, args: ProduceRequestArgs): Promise<Buffer> => ((await factory(args).encode()) as unknown as { buffer: Buffer }).buffer;

const messages = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({
  key: i % 3 === 0 ? `["P${i}","D${tag}",${i}]` : i % 3 === 1 ? Buffer.from(`k${i}`) : null,
  value: i % 5 === 4 ? null : Buffer.alloc(i * 37 % 300, i),
  headers: { 'mysimbdp-file': Buffer.from(`${tag}.csv`), 'mysimbdp-row': String(i + 1), 'mysimbdp-ü': 'ä'.repeat(i % 4), ...(i % 7 === 0 ? { multi: ['a', Buffer.from('b')] } : {}) },
}));

describe('createFastProduceRequest', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('writes the same request as kafkajs for topics, partitions, keys, values and headers of every kind', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_000_123);
    const args: ProduceRequestArgs = {
      acks: -1, timeout: 30_000, producerId: Long.fromValue(4_000_000_123) as never, producerEpoch: 3,
      topicData: [
        { topic: 'client_a.speed', partitions: [{ partition: 0, firstSequence: 17, messages: messages(1000, 'a') }, { partition: 5, firstSequence: 0, messages: messages(1, 'b') }] },
        { topic: 'client_a.speed.dlq', partitions: [{ partition: 2, messages: messages(40, 'c') }, { partition: 1, messages: [] }] },
      ],
    };
    await expect((await bytes(fast, args)).equals(await bytes(original, args))).toBe(true);
    const plainProducer = { acks: 1, timeout: 5, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: messages(3, 'd') }] }] };
    await expect((await bytes(fast, plainProducer)).equals(await bytes(original, plainProducer))).toBe(true);
    const transactional = { ...plainProducer, transactionalId: 'tx-1', producerId: Long.fromInt(9) as never };
    await expect((await bytes(fast, transactional)).equals(await bytes(original, transactional))).toBe(true);
    // as kafkajs' idempotent producer keeps it: the InitProducerId answer as a string; -1 before that
    for (const producerId of ['9007199254740993', '4000000123', -1]) {
      const idempotent = { ...plainProducer, producerId, producerEpoch: 1, topicData: [{ topic: 't', partitions: [{ partition: 3, firstSequence: 2_000_000, messages: messages(10, 'f') }] }] };
      await expect((await bytes(fast, idempotent)).equals(await bytes(original, idempotent))).toBe(true);
      // and by the fast path, not kafkajs' own (which would pass the byte comparison too)
      const theirs = original(idempotent);
      await expect(createFastProduceRequest(Encoder, Long, () => theirs)(idempotent).encode).not.toBe(theirs.encode);
    }
  });

  it('leaves compressed batches and messages with timestamps to kafkajs', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_764_000_000_123);
    for (const args of [
      { acks: -1, timeout: 1, compression: Types.GZIP, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: messages(5, 'e') }] }] },
      { acks: -1, timeout: 1, topicData: [{ topic: 't', partitions: [{ partition: 0, messages: [{ key: 'k', value: 'v', timestamp: '1700000000000' }, { key: 'k', value: 'w' }] }] }] },
    ] as ProduceRequestArgs[]) {
      const theirs = original(args);
      await expect(createFastProduceRequest(Encoder, Long, () => theirs)(args)).toBe(theirs);
      await expect((await bytes(fast, args)).equals(await bytes(original, args))).toBe(true);
    }
  });

  it('returns the request kafkajs would, with only encode replaced', async () => {
    const args = { acks: 0, timeout: 1, topicData: [] };
    const [mine, theirs] = [fast(args), original(args)] as unknown as Record<string, unknown>[];
    await expect(Object.keys(mine!).sort()).toEqual(Object.keys(theirs!).sort());
    await expect(mine!.apiVersion).toBe(theirs!.apiVersion);
    await expect((mine!.expectResponse as () => boolean)()).toBe(false);
  });
});
