import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cassandraJvmOptions, cassandraYaml } from '../../../ingest/src/engines/cassandra-server';

describe('cassandraYaml', () => {
  const config = parse(cassandraYaml('/data/cassandra')) as Record<string, unknown>;

  it('listens on loopback 9042 in data center datacenter1 (SimpleSnitch)', () => {
    expect(config).toMatchObject({ rpc_address: '127.0.0.1', listen_address: '127.0.0.1', native_transport_port: 9042, endpoint_snitch: 'SimpleSnitch' });
    expect(config.seed_provider).toEqual([{ class_name: 'org.apache.cassandra.locator.SimpleSeedProvider', parameters: [{ seeds: '127.0.0.1:7000' }] }]);
  });

  it('keeps all its data under the given folder', () => {
    expect(config.data_file_directories).toEqual(['/data/cassandra/data']);
    expect(config).toMatchObject({
      commitlog_directory: '/data/cassandra/commitlog',
      saved_caches_directory: '/data/cassandra/saved_caches',
      hints_directory: '/data/cassandra/hints',
      cdc_raw_directory: '/data/cassandra/cdc_raw',
    });
  });

  it('skips what a throw-away test node does not need', () => {
    expect(config).toMatchObject({ num_tokens: 1, auto_snapshot: false, hinted_handoff_enabled: false });
  });

  it('gives every table the trie memtable', () => {
    expect(config.memtable).toEqual({ configurations: { trie: { class_name: 'TrieMemtable' }, default: { inherits: 'trie' } } });
  });
});

describe('cassandraJvmOptions', () => {
  it('opens the JDK internals Cassandra 5.0 needs on Java 17 and sets a small fixed heap', () => {
    const options = cassandraJvmOptions([]);
    expect(options).toEqual(expect.arrayContaining(['-Xms768m', '-Xmx768m', '-Djdk.attach.allowAttachSelf=true', 'java.base/jdk.internal.misc=ALL-UNNAMED', 'java.base/sun.nio.ch=ALL-UNNAMED']));
    expect(options.filter((o) => o === '--add-opens')).toHaveLength(14);
    expect(options.filter((o) => o === '--add-exports')).toHaveLength(9);
    expect(options).not.toContain('-ea');
    expect(options).toContain('-XX:+UseParallelGC');
  });

  it('loads jamm as an agent when it is on the classpath', () => {
    expect(cassandraJvmOptions(['/m2/a.jar', '/m2/com/github/jbellis/jamm/0.4.0/jamm-0.4.0.jar'])).toContain('-javaagent:/m2/com/github/jbellis/jamm/0.4.0/jamm-0.4.0.jar');
    expect(cassandraJvmOptions(['/m2/a.jar']).some((o) => o.startsWith('-javaagent:'))).toBe(false);
  });
});
