import type { Tenant } from '../tenant/types';
import { planEvolution } from './schema-evolution';

export interface DatasetEvolution {
  readonly client: string;
  readonly dataset: string;
  /** The head version's dataset file. */
  readonly file: string;
  readonly statements: readonly string[];
  readonly refusals: readonly string[];
}

/**
 * Compares each dataset with its previous version (same client and dataset name). A dataset that
 * moved to another keyspace or table is refused: the old table's data would be left behind.
 */
export function evolutionAgainst(previous: readonly Tenant[], next: readonly Tenant[]): DatasetEvolution[] {
  const before = new Map(previous.flatMap((t) => t.datasets.map((d) => [`${t.client}/${d.name}`, d] as const)));
  const result: DatasetEvolution[] = [];
  for (const tenant of next) {
    for (const dataset of tenant.datasets) {
      const old = before.get(`${tenant.client}/${dataset.name}`);
      if (old === undefined) continue;
      const entry = { client: tenant.client, dataset: dataset.name, file: dataset.file };
      if (old.keyspace !== dataset.keyspace || old.table !== dataset.table) {
        result.push({ ...entry, statements: [], refusals: [`table ${old.keyspace}.${old.table}: moving the dataset to ${dataset.keyspace}.${dataset.table} is refused (the existing rows would be left behind; add a new dataset instead)`] });
        continue;
      }
      const plan = planEvolution(dataset, { columns: old.fields, partitionKey: old.partitionKey, clusteringKey: old.clusteringKey });
      if (plan.statements.length > 0 || plan.refusals.length > 0) result.push({ ...entry, ...plan });
    }
  }
  return result;
}
