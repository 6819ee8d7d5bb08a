import type * as cassandra from 'cassandra-driver';
import { createKeyspaceCql, createTableCql } from '../../../infra/cql/ddl';
import { planEvolution, type ExistingTable } from '../../../infra/cql/schema-evolution';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { InputError } from '../../../infra/errors';
import { ingestionLogTablesCql, LOG_TABLES } from './ingestion-log';
import { applySchemaChanges } from './schema-change';

export interface ProvisionOptions {
  /** Replication factor of keyspaces this run creates (existing keyspaces are left as they are). */
  readonly replicationFactor: number;
  /** Data center the replicas go to. */
  readonly dataCenter: string;
}

/** What provisioning did to one tenant dataset's table. */
export interface DatasetProvision {
  readonly client: string;
  readonly dataset: string;
  /** `keyspace.table` */
  readonly table: string;
  readonly action: 'created' | 'altered' | 'unchanged';
  /** DDL statements applied (empty when unchanged). */
  readonly statements: readonly string[];
}

/** The live table from system_schema.columns, or undefined when it does not exist. */
export async function readLiveTable(client: cassandra.Client, keyspace: string, table: string): Promise<ExistingTable | undefined> {
  const result = await client.execute(
    'SELECT column_name, type, kind, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  if (result.rowLength === 0) return undefined;
  const rows = result.rows.map((r) => ({
    name: String(r.get('column_name')),
    cqlType: String(r.get('type')),
    kind: String(r.get('kind')),
    position: Number(r.get('position')),
  }));
  const keyOf = (kind: string): string[] => rows.filter((r) => r.kind === kind).sort((a, b) => a.position - b.position).map((r) => r.name);
  return { columns: rows.map(({ name, cqlType }) => ({ name, cqlType })), partitionKey: keyOf('partition_key'), clusteringKey: keyOf('clustering') };
}

async function keyspaceExists(client: cassandra.Client, keyspace: string): Promise<boolean> {
  const result = await client.execute('SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?', [keyspace], { prepare: true });
  return result.rowLength > 0;
}

/**
 * Brings one dataset's keyspace and table to the contract: creates what is missing, adds new
 * nullable columns (ALTER TABLE ADD), and refuses every other change with an InputError naming
 * tenant, table, column and both types — before applying anything; then makes the ingestion log's
 * tables in the keyspace when missing. Idempotent: a second run reads the live schema, finds
 * nothing to do and issues no DDL.
 */
export async function provisionDataset(client: cassandra.Client, tenant: Pick<Tenant, 'client'>, dataset: Dataset, options: ProvisionOptions): Promise<DatasetProvision> {
  const table = `${dataset.keyspace}.${dataset.table}`;
  const done = (action: DatasetProvision['action'], statements: string[]): DatasetProvision => ({ client: tenant.client, dataset: dataset.name, table, action, statements });
  const live = await readLiveTable(client, dataset.keyspace, dataset.table);
  if (live === undefined) {
    const statements = [
      ...((await keyspaceExists(client, dataset.keyspace)) ? [] : [createKeyspaceCql(dataset.keyspace, options.replicationFactor, options.dataCenter)]),
      createTableCql(dataset),
    ];
    await applySchemaChanges(client, statements);
    await provisionIngestionLog(client, dataset.keyspace);
    return done('created', statements);
  }
  const plan = planEvolution(dataset, live);
  if (plan.refusals.length > 0) {
    throw new InputError(plan.refusals.map((refusal) => `tenant ${tenant.client}: ${refusal}`).join('\n'), {
      context: { tenant: tenant.client, dataset: dataset.name },
    });
  }
  await applySchemaChanges(client, plan.statements);
  await provisionIngestionLog(client, dataset.keyspace);
  return done(plan.statements.length === 0 ? 'unchanged' : 'altered', [...plan.statements]);
}

export interface ProvisionReport {
  readonly datasets: readonly DatasetProvision[];
  /** Datasets that could not be provisioned (refused evolution), each with its error. */
  readonly failures: readonly { readonly client: string; readonly dataset: string; readonly error: InputError }[];
}

/** Creates the ingestion log's tables in `keyspace` when missing (checked first: no DDL when present). */
export async function provisionIngestionLog(client: cassandra.Client, keyspace: string): Promise<void> {
  const existing = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true });
  const present = new Set(existing.rows.map((row) => String(row.get('table_name'))));
  if (Object.values(LOG_TABLES).every((table) => present.has(table))) return;
  await applySchemaChanges(client, ingestionLogTablesCql(keyspace));
}

/**
 * Provisions every dataset of the given tenants.
 * A refused change of one dataset does not stop the others; it is reported in `failures`. Engine
 * errors propagate.
 */
export async function provisionTenants(client: cassandra.Client, tenants: readonly Tenant[], options: ProvisionOptions): Promise<ProvisionReport> {
  const datasets: DatasetProvision[] = [];
  const failures: { client: string; dataset: string; error: InputError }[] = [];
  for (const tenant of tenants) {
    for (const dataset of tenant.datasets) {
      try {
        datasets.push(await provisionDataset(client, tenant, dataset, options));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        failures.push({ client: tenant.client, dataset: dataset.name, error: err });
      }
    }
  }
  return { datasets, failures };
}
