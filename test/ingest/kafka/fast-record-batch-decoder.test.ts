import { describe, expect, it } from 'vitest';
import { createFastRecordBatchDecoder, type KafkajsDecoder, type RecordBatchDecoder } from '../../../ingest/src/kafka/fast-record-batch-decoder';

/* eslint-disable @typescript-eslint/no-require-imports */
const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => KafkajsDecoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (args: object) => Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: object) => unknown;
const Long = require('kafkajs/src/utils/long') as { fromValue(v: unknown): unknown };
const original = require('kafkajs/src/protocol/recordBatch/v0/decoder') as RecordBatchDecoder;
const { Types: Compression } = require('kafkajs/src/protocol/message/compression') as { Types: { GZIP: number } };
/* eslint-enable @typescript-eslint/no-require-imports */

/** Batches handed to kafkajs' decoder: a test of the fast path must see none. */
let handedOver = 0;
const fast = createFastRecordBatchDecoder((decoder) => {
  handedOver++;
  return original(decoder);
});

interface BatchArgs {
  readonly records: readonly object[];
  readonly firstOffset?: number | string;
  readonly firstTimestamp?: number;
  readonly maxTimestamp?: number;
  readonly producerId?: number;
  readonly compression?: number;
}

async function batch(args: BatchArgs): Promise<Buffer> {
  const encoded = await RecordBatch({
    records: args.records.map((r) => Record(r)),
    firstOffset: Long.fromValue(args.firstOffset ?? 0),
    firstTimestamp: args.firstTimestamp ?? 1_764_000_000_000,
    maxTimestamp: args.maxTimestamp ?? 1_764_000_000_900,
    lastOffsetDelta: args.records.length - 1,
    producerId: Long.fromValue(args.producerId ?? 4000),
    producerEpoch: 3,
    firstSequence: 17,
    compression: args.compression,
  });
  return encoded.buffer;
}

/**
 * Decodes every batch in `bytes` both ways: the same results (or the same error) and the same bytes
 * consumed; and how many of them ours handed to kafkajs.
 */
async function expectSame(bytes: Buffer, handed: number): Promise<unknown[]> {
  handedOver = 0;
  const decode = async (decoder: RecordBatchDecoder): Promise<{ batches: unknown[]; offset: number; error?: unknown }> => {
    const d = new Decoder(bytes);
    const batches: unknown[] = [];
    try {
      while (d.offset < bytes.length) batches.push(await decoder(d));
    } catch (error) {
      return { batches, offset: d.offset, error };
    }
    return { batches, offset: d.offset };
  };
  const [ours, theirs] = [await decode(fast), await decode(original)];
  await expect(ours).toEqual(theirs);
  await expect(handedOver).toBe(handed);
  return ours.batches;
}

const HEADERS = { 'mysimbdp-file': 'speed.csv', 'mysimbdp-row': '42', 'mysimbdp-order': '1764000000000000', 'h-ü': 'ä'.repeat(200) };

describe('createFastRecordBatchDecoder', () => {
  it('decodes consecutive batches to the same messages as kafkajs', async () => {
    const records: object[] = [];
    for (const len of [0, 1, 63, 64, 127, 128, 300, 20_000]) records.push({ offsetDelta: records.length, timestampDelta: len * 3, key: `["P${len}",${len}]`, value: Buffer.alloc(len, 7), headers: HEADERS });
    records.push(
      { offsetDelta: records.length, timestampDelta: -5, key: null, value: 'v' },
      { offsetDelta: records.length + 1, key: 'x', value: null, headers: { multi: ['a', Buffer.from('b'), 'c'] } },
      { offsetDelta: records.length + 2, key: 'y', value: 'z', headers: { ['__proto__']: 'p', constructor: 'c', '': 'empty' } },
      // names of the same length as the ones before them at that place (the decoder reuses a name's string)
      { offsetDelta: records.length + 3, key: 'w', value: 'z', headers: { 'mysimbdp-fila': 'a', 'mysimbdp-rox': 'b' } },
      { offsetDelta: records.length + 4, key: 'w', value: 'z', headers: { 'mysimbdp-file': 'a', 'mysimbdp-row': 'b' } },
    );
    const bytes = Buffer.concat([await batch({ records }), await batch({ records: records.slice(0, 3), firstOffset: 2 ** 40, producerId: -1 })]);
    const batches = (await expectSame(bytes, 0)) as { records: { offset: string; headers: object }[] }[];
    await expect(batches.map((b) => b.records.length)).toEqual([13, 3]);
    await expect(batches[1]!.records[2]!.offset).toBe(String(2 ** 40 + 2));
    await expect(Object.keys(batches[0]!.records[10]!.headers)).toEqual(['__proto__', 'constructor', '']);
    await expect(batches[0]!.records.slice(11).map((r) => Object.keys(r.headers))).toEqual([['mysimbdp-fila', 'mysimbdp-rox'], ['mysimbdp-file', 'mysimbdp-row']]);
  });

  it('keeps the broker time of a log-append-time batch, and the transaction and control flags', async () => {
    const bytes = await batch({ records: [{ key: 'k', value: 'v' }, { offsetDelta: 1, timestampDelta: 9, key: 'k', value: 'w' }] });
    for (const flags of [0x8, 0x10, 0x20, 0x30]) {
      const flagged = Buffer.from(bytes);
      flagged.writeInt16BE(flagged.readInt16BE(21) | flags, 21);
      const [decoded] = (await expectSame(flagged, 0)) as { timestampType: number; records: { timestamp: string }[] }[];
      if (flags === 0x8) await expect(decoded!.records.map((r) => r.timestamp)).toEqual(['1764000000900', '1764000000900']);
    }
  });

  it('hands compressed batches and values beyond 2^53 to kafkajs', async () => {
    const records = [{ key: 'k', value: 'v'.repeat(500), headers: HEADERS }, { offsetDelta: 1, key: 'l', value: 'w' }];
    await expectSame(await batch({ records, compression: Compression.GZIP }), 1);
    await expectSame(await batch({ records, firstOffset: '1152921504606846976' }), 1);
    await expectSame(await batch({ records: [{ timestampDelta: 2 ** 60, key: 'k', value: 'v' }] }), 1);
  });

  it('throws kafkajs’ partial-message error for a batch cut off at the end of a fetch', async () => {
    const whole = await batch({ records: [{ key: 'k', value: 'v'.repeat(100) }] });
    const cut = Buffer.concat([whole, whole.subarray(0, whole.length - 10)]);
    const ours = await fast(new Decoder(cut)).then(() => fast(new Decoder(cut.subarray(whole.length))).catch((e: Error) => e.name));
    await expect(ours).toBe('KafkaJSPartialMessageError');
    await expectSame(cut, 1);
  });

  it('hands a record that overruns its batch to kafkajs', async () => {
    const bytes = await batch({ records: [{ key: 'k', value: 'v' }] });
    const broken = Buffer.from(bytes);
    broken[61] = 0x7e; // the record's length: 63 bytes, past the batch's end
    await expectSame(broken, 1);
  });
});
