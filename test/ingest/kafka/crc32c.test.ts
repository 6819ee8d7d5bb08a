import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../ingest/src/kafka/crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

describe('crc32c', () => {
  it('gives the CRC-32C check value of "123456789"', async () => {
    await expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with kafkajs on every length from 0 to 100 and on large buffers, at any offset', async () => {
    let seed = 7;
    const random = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff));
    for (let n = 0; n <= 100; n++) {
      const b = random(n);
      await expect(crc32c(b)).toBe(kafkajsCrc32C(b));
    }
    const big = random(70_001);
    await expect(crc32c(big.subarray(3))).toBe(kafkajsCrc32C(big.subarray(3)));
  });
});
