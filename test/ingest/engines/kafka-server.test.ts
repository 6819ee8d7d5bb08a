import { describe, expect, it } from 'vitest';
import { kafkaServerProperties, newClusterId } from '../../../ingest/src/engines/kafka-server';

describe('kafkaServerProperties', () => {
  const props = new Map(
    kafkaServerProperties('/data/kafka', { username: 'mysimbdp', password: 'pw' })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );

  it('runs one combined KRaft broker+controller on loopback', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
    expect(props.get('listeners')).toBe('SCRAM://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(props.get('advertised.listeners')).toBe('SCRAM://127.0.0.1:9092');
    expect(props.get('log.dirs')).toBe('/data/kafka');
  });

  it('authenticates every connection and authorizes every request, the platform the only super user', () => {
    expect(props.get('listener.security.protocol.map')).toBe('CONTROLLER:SASL_PLAINTEXT,SCRAM:SASL_PLAINTEXT');
    expect(props.get('listener.name.scram.sasl.enabled.mechanisms')).toBe('SCRAM-SHA-512');
    expect(props.get('inter.broker.listener.name')).toBe('SCRAM');
    expect(props.get('listener.name.controller.plain.sasl.jaas.config')).toBe(
      'org.apache.kafka.common.security.plain.PlainLoginModule required username="mysimbdp" password="pw" user_mysimbdp="pw";',
    );
    expect(props.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props.get('super.users')).toBe('User:mysimbdp');
    expect(props.get('allow.everyone.if.no.acl.found')).toBe('false');
  });

  it('refuses a password that would end its JAAS string early', () => {
    expect(() => kafkaServerProperties('/d', { username: 'mysimbdp', password: 'a"b' })).toThrow('kafka: JAAS option password may not contain a quote, backslash or newline');
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

  it('never starts with "-", which kafka-storage would read as an option', async () => {
    // 0xf8 0x00… encodes as "-AAA…"; the next draw is taken instead
    const draws = [Buffer.alloc(16, 0), Buffer.concat([Buffer.from([0xf8]), Buffer.alloc(15, 0)])];
    await expect(newClusterId(() => draws.pop()!)).toBe('AAAAAAAAAAAAAAAAAAAAAA');
    await expect(draws).toHaveLength(0);
  });
});
