import type { Dataset } from '../tenant/types';
import { quoteIdent } from './ddl';

export interface ColumnDef {
  readonly name: string;
  readonly cqlType: string;
}

/** What a table looks like now: from the live system_schema, or from the previous dataset version. */
export interface ExistingTable {
  readonly columns: readonly ColumnDef[];
  readonly partitionKey: readonly string[];
  readonly clusteringKey: readonly string[];
}

export interface EvolutionPlan {
  /** ALTER TABLE statements to apply, in order. */
  readonly statements: readonly string[];
  /** Changes that are refused, each a full sentence naming table, column and types. */
  readonly refusals: readonly string[];
}

// Cassandra reports `list<int>` as `list<int>` and `map<text, int>` as `map<text, int>`; normalise spacing.
const normalise = (t: string): string => t.replace(/\s+/g, '').toLowerCase();

/**
 * Allowed evolution: adding nullable fields (ALTER TABLE ADD). Refused: changing a column's type,
 * dropping a column, adding a non-nullable field, changing the primary key.
 */
export function planEvolution(dataset: Pick<Dataset, 'keyspace' | 'table' | 'fields' | 'partitionKey' | 'clusteringKey'>, existing: ExistingTable): EvolutionPlan {
  const table = `${dataset.keyspace}.${dataset.table}`;
  const statements: string[] = [];
  const refusals: string[] = [];
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(dataset.partitionKey, existing.partitionKey) || !same(dataset.clusteringKey, existing.clusteringKey)) {
    const show = (p: readonly string[], c: readonly string[]): string => JSON.stringify(c.length === 0 && p.length === 1 ? p : [p.length > 1 ? p : p[0], ...c]);
    refusals.push(`table ${table}: primary key change from ${show(existing.partitionKey, existing.clusteringKey)} to ${show(dataset.partitionKey, dataset.clusteringKey)} is refused (a new primary key needs a new table)`);
  }
  const current = new Map(existing.columns.map((c) => [c.name, c]));
  for (const field of dataset.fields) {
    const column = current.get(field.name);
    if (column === undefined) {
      if (field.nullable) {
        statements.push(`ALTER TABLE ${quoteIdent(dataset.keyspace)}.${quoteIdent(dataset.table)} ADD ${quoteIdent(field.name)} ${field.cqlType}`);
      } else {
        refusals.push(`table ${table}: new column "${field.name}" must be nullable (a ["null", T] union): existing rows have no value for it`);
      }
    } else if (normalise(column.cqlType) !== normalise(field.cqlType)) {
      refusals.push(`table ${table}: column "${field.name}" type change from ${column.cqlType} to ${field.cqlType} is refused`);
    }
  }
  const wanted = new Set(dataset.fields.map((f) => f.name));
  for (const column of existing.columns) {
    if (!wanted.has(column.name)) refusals.push(`table ${table}: removing column "${column.name}" is refused (its data would become unreachable)`);
  }
  return { statements, refusals };
}
