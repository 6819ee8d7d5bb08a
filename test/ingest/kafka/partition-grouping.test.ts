import type { Message, PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition, type GroupingArgs } from '../../../ingest/src/kafka/partition-grouping';
import { fastDefaultPartitioner } from '../../../ingest/src/kafka/partitioner';

// kafkajs' own grouping, as published (each test file runs in a fresh process: nothing patched it here)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const original = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: GroupingArgs) => Record<number, Message[]>;

const metadata = (n: number): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 1, partitionErrorCode: 0, replicas: [1], isr: [1] }));

describe('groupMessagesPerPartition', () => {
  it('is not the function it replaces', async () => {
    await expect(original).not.toBe(groupMessagesPerPartition);
  });

  it('groups exactly as kafkajs does, keeping each partition in send order', async () => {
    for (const [partitions, count] of [[1, 1000], [3, 1000], [7, 10], [2, 0]] as const) {
      const messages: Message[] = Array.from({ length: count }, (_, i) => ({ key: `["P${i % 13}",${i}]`, value: Buffer.from(String(i)) }));
      const args = { topic: 't', partitionMetadata: metadata(partitions), messages, partitioner: fastDefaultPartitioner() };
      await expect(groupMessagesPerPartition(args)).toEqual(original({ ...args, partitioner: fastDefaultPartitioner() }));
    }
  });

  it('returns nothing without partition metadata, like kafkajs', async () => {
    const args = { topic: 't', partitionMetadata: [], messages: [{ key: 'k', value: 'v' }], partitioner: () => 0 };
    await expect(groupMessagesPerPartition(args)).toEqual({});
    await expect(original(args)).toEqual({});
  });
});
