import * as cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { defaultFetchBytes } from '../../../ingest/src/commands/sink';
import { KafkaSink } from '../../../ingest/src/sink/kafka-sink';
import { seedDataset, tenantFrom } from '../helpers/tenant-dirs';

const dataset = tenantFrom('client_a', seedDataset('client_a', 'ks_unit')).datasets[0]!;
// Neither client connects until start().
const kafka = createKafka('unit');
const client = new cassandra.Client({ contactPoints: ['127.0.0.1:1'], localDataCenter: 'datacenter1' });

describe('KafkaSink', () => {
  it('names its topic, DLQ and consumer group after the tenant dataset', () => {
    const sink = new KafkaSink(kafka, client, 'client_a', dataset);
    expect([sink.topic, sink.dlqTopic, sink.groupId]).toEqual(['client_a.speed-tracking-data', 'client_a.speed-tracking-data.dlq', 'client_a.sink.speed-tracking-data']);
    expect(new KafkaSink(kafka, client, 'client_a', dataset, { groupId: 'client_a.other' }).groupId).toBe('client_a.other');
  });

  it.each([
    [{ partitionsConsumedConcurrently: 0 }, 'KafkaSink: partitionsConsumedConcurrently must be an integer >= 1, got 0'],
    [{ maxBytesPerPartition: 10.5 }, 'KafkaSink: maxBytesPerPartition must be an integer >= 1, got 10.5'],
    [{ flushAttempts: -1 }, 'KafkaSink: flushAttempts must be an integer >= 1, got -1'],
  ])('rejects %j', (options, message) => {
    expect(() => new KafkaSink(kafka, client, 'client_a', dataset, options)).toThrow(new RangeError(message));
  });
});

describe('defaultFetchBytes', () => {
  it('sizes one flush to the V8 heap: 320 KiB under the image\'s 56 MiB old space, 1 MiB at most, 128 KiB at least', () => {
    expect(defaultFetchBytes(62 * 1_048_576)).toBe(327_680);
    expect(defaultFetchBytes(4144 * 1_048_576)).toBe(1_048_576);
    expect(defaultFetchBytes(8 * 1_048_576)).toBe(131_072);
  });
});
