import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../infra/errors';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';
import { KAFKA_TOOLS, kafkaToolArgs } from '../../../ingest/src/engines/kafka-tools';

describe('kafkaToolArgs', () => {
  it('refuses a tool it does not know, naming the ones it does', async () => {
    const failure = kafkaToolArgs(engineLayout('/tmp/none'), 'kafka-storage', []);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow('unknown Kafka tool "kafka-storage" (one of console-consumer, console-producer, topics, consumer-groups, acls, configs)');
  });

  it('gives each tool the flag its client config goes to', async () => {
    await expect(Object.fromEntries(Object.entries(KAFKA_TOOLS).map(([name, t]) => [name, t.config]))).toEqual({
      'console-consumer': '--consumer.config',
      'console-producer': '--producer.config',
      topics: '--command-config',
      'consumer-groups': '--command-config',
      acls: '--command-config',
      configs: '--command-config',
    });
  });
});
