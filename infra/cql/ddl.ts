import type { Dataset } from '../tenant/types';

/** Double-quotes a CQL identifier so its case survives (`"sensorId"`), escaping inner quotes. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A CQL string literal, inner quotes doubled (role passwords cannot be bind markers). */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A login role; `IF NOT EXISTS` keeps an existing role's password (see `alterRolePasswordCql`). */
export function createRoleCql(role: string, password: string, superuser = false): string {
  return `CREATE ROLE IF NOT EXISTS ${quoteIdent(role)} WITH PASSWORD = ${quoteString(password)} AND LOGIN = true AND SUPERUSER = ${superuser}`;
}

export function alterRolePasswordCql(role: string, password: string): string {
  return `ALTER ROLE ${quoteIdent(role)} WITH PASSWORD = ${quoteString(password)}`;
}

/** What a tenant role may do on each of its keyspaces: read and write rows, nothing on schema or roles. */
export const TENANT_KEYSPACE_PERMISSIONS = ['SELECT', 'MODIFY'] as const;

export function grantOnKeyspaceCql(permission: string, keyspace: string, role: string): string {
  return `GRANT ${permission} ON KEYSPACE ${quoteIdent(keyspace)} TO ${quoteIdent(role)}`;
}

/** `CREATE KEYSPACE IF NOT EXISTS` with NetworkTopologyStrategy in the given data center. */
export function createKeyspaceCql(keyspace: string, replicationFactor: number, dc = 'datacenter1'): string {
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new RangeError(`replicationFactor must be a positive integer, got ${replicationFactor}`);
  }
  return `CREATE KEYSPACE IF NOT EXISTS ${quoteIdent(keyspace)} WITH replication = {'class': 'NetworkTopologyStrategy', ${quoteString(dc)}: ${replicationFactor}} AND durable_writes = true`;
}

/** The PRIMARY KEY clause: `(("a", "b"), "c")` for a composite partition key. */
export function primaryKeyCql(dataset: Pick<Dataset, 'partitionKey' | 'clusteringKey'>): string {
  const partition = dataset.partitionKey.map(quoteIdent).join(', ');
  return `PRIMARY KEY (${[dataset.partitionKey.length > 1 ? `(${partition})` : partition, ...dataset.clusteringKey.map(quoteIdent)].join(', ')})`;
}

/** `CREATE TABLE IF NOT EXISTS` for a dataset: one quoted column per Avro field. */
export function createTableCql(dataset: Pick<Dataset, 'keyspace' | 'table' | 'fields' | 'partitionKey' | 'clusteringKey'>): string {
  const columns = dataset.fields.map((f) => `  ${quoteIdent(f.name)} ${f.cqlType}`);
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(dataset.keyspace)}.${quoteIdent(dataset.table)} (\n${[...columns, `  ${primaryKeyCql(dataset)}`].join(',\n')}\n)`;
}
