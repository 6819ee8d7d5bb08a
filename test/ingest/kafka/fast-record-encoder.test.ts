import { describe, expect, it } from 'vitest';
import { createFastRecordEncoder } from '../../../ingest/src/kafka/fast-record-encoder';

/* eslint-disable @typescript-eslint/no-require-imports */
const Encoder = require('kafkajs/src/protocol/encoder') as { prototype: object; new (): { buffer: Buffer } };
const original = require('kafkajs/src/protocol/recordBatch/record/v0') as (args: object) => { buffer: Buffer };
const fast = createFastRecordEncoder(Encoder, original as never);

describe('createFastRecordEncoder', () => {
  it('writes the same bytes as kafkajs for keys, values and headers of every size', async () => {
    const cases: object[] = [];
    for (const len of [0, 1, 63, 64, 127, 128, 300, 20_000]) {
      cases.push({ offsetDelta: len, timestampDelta: len * 3, key: 'k'.repeat(len), value: Buffer.alloc(len, 7), headers: { 'mysimbdp-file': Buffer.from('a.csv'), 'mysimbdp-row': String(len), 'h-ü': 'ä'.repeat(len) } });
    }
    cases.push({ key: null, value: 'v' }, { key: Buffer.from('x'), value: null, headers: { multi: ['a', Buffer.from('b')] } }, { timestampDelta: -5, offsetDelta: 999, key: '["P1",2]', value: 'x' }, {});
    for (const c of cases) await expect((fast(c as never) as unknown as { buffer: Buffer }).buffer.equals(original(c).buffer)).toBe(true);
  });

  it('hands huge timestamp deltas to the original encoder', async () => {
    const c = { timestampDelta: 2 ** 40, key: 'k', value: 'v' };
    await expect((fast(c as never) as unknown as { buffer: Buffer }).buffer.equals(original(c).buffer)).toBe(true);
  });

  it('returns a kafkajs Encoder', async () => {
    await expect(fast({ key: 'k', value: 'v' } as never)).toBeInstanceOf(Encoder);
  });
});
