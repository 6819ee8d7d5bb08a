import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaSender } from '../../../ingest/src/pipeline/kafka-sender';

// Sending is covered against the real broker in test/ingest/batch/batch.int.test.ts.
describe('KafkaSender', () => {
  it('refuses bad options, naming the option and value', async () => {
    const producer = {} as Producer;
    await expect(() => new KafkaSender(producer, { batchMessages: 0 })).toThrow('KafkaSender batchMessages must be an integer >= 1, got 0');
    await expect(() => new KafkaSender(producer, { batchBytes: 1.5 })).toThrow('KafkaSender batchBytes must be an integer >= 1, got 1.5');
    await expect(() => new KafkaSender(producer, { maxInFlight: -1 })).toThrow('KafkaSender maxInFlight must be an integer >= 1, got -1');
  });
});
