import type * as cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { everyNodeReplicatesAll } from '../../../ingest/src/cassandra/replica-layout';

/** Driver metadata of a cluster: `nodes` data centers → host count, one keyspace. */
const cluster = (nodes: Record<string, number>, keyspace: { strategy: string; strategyOptions: Record<string, string> } | undefined) =>
  ({
    metadata: { keyspaces: keyspace === undefined ? {} : { ks: keyspace } },
    hosts: { values: () => Object.entries(nodes).flatMap(([dc, n]) => Array.from({ length: n }, () => ({ datacenter: dc }))) },
  }) as unknown as Pick<cassandra.Client, 'metadata' | 'hosts'>;
const nts = (options: Record<string, string>) => ({ strategy: 'org.apache.cassandra.locator.NetworkTopologyStrategy', strategyOptions: options });

describe('everyNodeReplicatesAll', () => {
  it('holds for one node, and for a data center no larger than its replication', async () => {
    await expect(everyNodeReplicatesAll(cluster({ dc1: 1 }, nts({ dc1: '1' })), 'ks', 'dc1')).toBe(true);
    await expect(everyNodeReplicatesAll(cluster({ dc1: 3, dc2: 6 }, nts({ dc1: '3', dc2: '3' })), 'ks', 'dc1')).toBe(true);
    await expect(everyNodeReplicatesAll(cluster({ dc1: 2 }, { strategy: 'org.apache.cassandra.locator.SimpleStrategy', strategyOptions: { replication_factor: '3' } }), 'ks', 'dc1')).toBe(true);
  });

  it('fails where a coordinator would forward: more nodes than replicas, unknown keyspace or data center', async () => {
    await expect(everyNodeReplicatesAll(cluster({ dc1: 6 }, nts({ dc1: '3' })), 'ks', 'dc1')).toBe(false);
    await expect(everyNodeReplicatesAll(cluster({ dc1: 1 }, undefined), 'ks', 'dc1')).toBe(false);
    await expect(everyNodeReplicatesAll(cluster({ dc1: 1 }, nts({ dc2: '3' })), 'ks', 'dc1')).toBe(false);
    await expect(everyNodeReplicatesAll(cluster({ dc2: 3 }, nts({ dc1: '3' })), 'ks', 'dc1')).toBe(false);
  });
});
