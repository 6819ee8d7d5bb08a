// Keyspaces and tables: a tenant's Cassandra role is granted per keyspace, so a keyspace belongs to
// exactly one tenant, and none of Cassandra's own keyspaces can be a tenant's. The platform keeps
// each tenant's ingestion log inside the tenant's own keyspaces (so the tenant role reaches it and
// nothing else), in tables whose prefix no dataset may use.

const CASSANDRA_KEYSPACES = new Set(['system', 'system_auth', 'system_schema', 'system_distributed', 'system_traces', 'system_views', 'system_virtual_schema']);

/** Prefix of the platform's tables inside tenant keyspaces. */
export const PLATFORM_TABLE_PREFIX = 'mysimbdp_';

/** Why `keyspace` cannot be a tenant's, or undefined when it can (its CQL syntax is the JSON Schema's). */
export function reservedKeyspaceProblem(keyspace: string): string | undefined {
  return CASSANDRA_KEYSPACES.has(keyspace) ? "is reserved (one of Cassandra's own keyspaces)" : undefined;
}

/** Why `table` cannot be a dataset's, or undefined when it can. */
export function reservedTableProblem(table: string): string | undefined {
  return table.toLowerCase().startsWith(PLATFORM_TABLE_PREFIX) ? `is reserved (tables starting with "${PLATFORM_TABLE_PREFIX}" hold the platform's ingestion log)` : undefined;
}
