// Keyspaces: a tenant's Cassandra role is granted per keyspace, so a keyspace belongs to exactly one
// tenant, and none of Cassandra's or the platform's own keyspaces can be a tenant's.

/** The platform's operations keyspace (ingestion log, ingested files), written by the runtime. */
export const OPERATIONS_KEYSPACE = 'mysimbdp_ops';

const RESERVED = new Set(['system', 'system_auth', 'system_schema', 'system_distributed', 'system_traces', 'system_views', 'system_virtual_schema', OPERATIONS_KEYSPACE]);

/** Why `keyspace` cannot be a tenant's, or undefined when it can (its CQL syntax is the JSON Schema's). */
export function reservedKeyspaceProblem(keyspace: string): string | undefined {
  return RESERVED.has(keyspace) ? `is reserved (${keyspace === OPERATIONS_KEYSPACE ? "the platform's operations keyspace" : "one of Cassandra's own keyspaces"})` : undefined;
}
