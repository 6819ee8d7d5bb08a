import { describe, expect, it } from 'vitest';
import { kafkaServerProperties, newClusterId } from '../../../ingest/src/engines/kafka-server';

describe('kafkaServerProperties', () => {
  const props = new Map(
    kafkaServerProperties('/data/kafka')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split('=', 2) as [string, string]),
  );

  it('runs one combined KRaft broker+controller on loopback', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:9092');
    expect(props.get('log.dirs')).toBe('/data/kafka');
  });

  it('gives every internal topic replication 1, so idempotent and transactional producers work on one broker', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
    expect(props.get('num.partitions')).toBe('1');
  });

  it('does not create topics on first use, like the platform cluster', () => {
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });
});

describe('newClusterId', () => {
  it('is 16 random bytes in unpadded base64url, as Kafka expects', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(newClusterId()).not.toBe(id);
  });
});
