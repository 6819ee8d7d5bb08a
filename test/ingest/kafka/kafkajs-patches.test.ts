import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const PATCHES = path.join(__dirname, '../../../ingest/src/kafka/kafkajs-patches.ts');
const GROUPING = path.join(__dirname, '../../../ingest/src/kafka/partition-grouping.ts');

/** Runs a script in a fresh Node process (a clean module cache), through tsx; returns its stdout lines. */
function fresh(script: string): string[] {
  const result = spawnSync(process.execPath, ['-e', `require('tsx/cjs');\n${script}`], { cwd: path.join(__dirname, '../../..'), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim().split('\n');
}

describe('installKafkajsPatches', () => {
  it('swaps the record encoder, the grouping, the produce request and the fetched batches’ decoder before kafkajs loads, once', async () => {
    await expect(
      fresh(`
        const { installKafkajsPatches } = require(${JSON.stringify(PATCHES)});
        console.log(installKafkajsPatches());
        const { Kafka } = require('kafkajs');
        console.log(require('kafkajs/src/producer/groupMessagesPerPartition') === require(${JSON.stringify(GROUPING)}).groupMessagesPerPartition);
        // ours writes each record into one Buffer.allocUnsafe; kafkajs' builds it from Encoders
        console.log(String(require('kafkajs/src/protocol/recordBatch/record/v0')).includes('allocUnsafe'));
        // Kafka 4 takes produce v7, which extends v3: its encode is ours (one buffer per record batch)
        console.log(String(require('kafkajs/src/protocol/requests/produce/v7/request')({ acks: -1, timeout: 1, topicData: [] }).encode).includes('recordBatch('));
        // every fetch response decodes its record batches with v4's decodeMessages: ours reads the buffer directly
        console.log(String(require('kafkajs/src/protocol/recordBatch/v0/decoder')).includes('decodeBatch('));
        console.log(typeof Kafka, installKafkajsPatches());
      `),
    ).toEqual(['true', 'true', 'true', 'true', 'true', 'function false']);
  });

  it('changes nothing once kafkajs is loaded', async () => {
    await expect(
      fresh(`
        require('kafkajs');
        const before = require('kafkajs/src/producer/groupMessagesPerPartition');
        console.log(require(${JSON.stringify(PATCHES)}).installKafkajsPatches());
        console.log(require('kafkajs/src/producer/groupMessagesPerPartition') === before);
        console.log(String(require('kafkajs/src/protocol/recordBatch/record/v0')).includes('allocUnsafe'));
        console.log(String(require('kafkajs/src/protocol/recordBatch/v0/decoder')).includes('decodeBatch('));
      `),
    ).toEqual(['false', 'true', 'false', 'false']);
  });
});
