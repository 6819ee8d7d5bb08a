import { describe, expect, it } from 'vitest';
import { connectPluginDir, connectWorkerProperties } from '../../../ingest/src/engines/connect-server';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';

describe('connectWorkerProperties', () => {
  const props = new Map(
    connectWorkerProperties('/cache/plugins', { username: 'mysimbdp', password: 'pw' })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as [string, string];
      }),
  );

  it('runs a distributed worker against the local Kafka with REST on 127.0.0.1:8083', () => {
    expect(props.get('bootstrap.servers')).toBe('127.0.0.1:9092');
    expect(props.get('listeners')).toBe('http://127.0.0.1:8083');
    expect(props.get('plugin.path')).toBe('/cache/plugins');
  });

  it('logs in as the platform, and so do the clients it makes for connectors', () => {
    for (const prefix of ['', 'producer.', 'consumer.', 'admin.']) {
      expect(props.get(`${prefix}security.protocol`)).toBe('SASL_PLAINTEXT');
      expect(props.get(`${prefix}sasl.mechanism`)).toBe('SCRAM-SHA-512');
      expect(props.get(`${prefix}sasl.jaas.config`)).toBe('org.apache.kafka.common.security.scram.ScramLoginModule required username="mysimbdp" password="pw";');
    }
  });

  it('keeps its config, offset and status topics at replication 1', () => {
    for (const store of ['config', 'offset', 'status']) expect(props.get(`${store}.storage.replication.factor`)).toBe('1');
  });
});

describe('connectPluginDir', () => {
  it('lies under the engines cache folder', () => {
    expect(connectPluginDir(engineLayout('/tmp/engines-cache'))).toBe('/tmp/engines-cache/data/connect/plugins');
  });
});
