import type * as cassandra from 'cassandra-driver';

/** The driver's keyspace metadata, typed as far as it is used here (its typings omit the options). */
interface KeyspaceMetadata {
  readonly strategy: string;
  readonly strategyOptions?: Readonly<Record<string, string>>;
}

/**
 * Whether every node of the local data center holds every partition of `keyspace` (nodes ≤ the
 * keyspace's replication there): then any node coordinates a write to any partition as a replica,
 * and an unlogged batch of many one-row partitions costs no fan-out. That is the case of a single
 * node, and of a 3-node data center at replication 3. Unknown metadata answers false.
 */
export function everyNodeReplicatesAll(client: Pick<cassandra.Client, 'metadata' | 'hosts'>, keyspace: string, localDc: string): boolean {
  const meta = (client.metadata.keyspaces as Readonly<Record<string, KeyspaceMetadata | undefined>>)[keyspace];
  if (meta === undefined) return false;
  const options = meta.strategyOptions ?? {};
  const nodes = client.hosts.values().filter((h) => h.datacenter === localDc).length;
  const rf = meta.strategy.endsWith('NetworkTopologyStrategy') ? Number(options[localDc]) : meta.strategy.endsWith('SimpleStrategy') ? Number(options.replication_factor) : NaN;
  return nodes > 0 && Number.isInteger(rf) && nodes <= rf;
}
