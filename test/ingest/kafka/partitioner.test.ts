import { describe, expect, it } from 'vitest';
import { fastDefaultPartitioner, murmur2 } from '../../../ingest/src/kafka/partitioner';

/* eslint-disable @typescript-eslint/no-require-imports */
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('murmur2', () => {
  it('equals kafkajs (Java client) murmur2 on keys of every length', async () => {
    for (let len = 0; len < 70; len++) {
      const key = Buffer.from(Array.from({ length: len }, (_, i) => (i * 37 + len * 11) & 0xff));
      await expect(murmur2(key)).toBe(kafkajsMurmur2(key));
    }
    await expect(murmur2(Buffer.from('["HN","D1",7]'))).toBe(kafkajsMurmur2(Buffer.from('["HN","D1",7]')));
  });

  it('hashes a string key as its UTF-8 bytes, ASCII or not', async () => {
    for (const key of ['', 'a', 'ab', 'abc', '["HN","D1",7]', '["Hà Nội","ü€😀",1]', 'x'.repeat(67)]) {
      await expect(murmur2(key)).toBe(kafkajsMurmur2(Buffer.from(key, 'utf8')));
    }
  });
});

describe('fastDefaultPartitioner', () => {
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));
  it('picks the Java partition of a key, honours an explicit partition, round-robins unkeyed messages', async () => {
    const p = fastDefaultPartitioner();
    const key = Buffer.from('["P1","R1","C1"]');
    await expect(p({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 3);
    await expect(p({ topic: 't', partitionMetadata, message: { key: key.toString(), value: null } })).toBe((kafkajsMurmur2(key) & 0x7fffffff) % 3);
    await expect(p({ topic: 't', partitionMetadata, message: { key: 'x', value: null, partition: 2 } })).toBe(2);
    const seen = new Set([0, 1, 2, 3].map(() => p({ topic: 't', partitionMetadata, message: { value: 'v' } })));
    await expect(seen.size).toBe(3);
  });
});
