import type { Dataset } from '../../../infra/tenant/types';

/** The row's Kafka key: its primary-key values (partition, then clustering) as a JSON array, e.g. `["P1","D2",7]`. */
export type KeyOf = (row: Readonly<Record<string, unknown>>) => string;

/**
 * One array per dataset, refilled for every row: JSON.stringify of it allocates only the key
 * itself. Blob/decimal key columns as hex, so equal bytes give equal keys.
 */
export function primaryKeyOf(dataset: Dataset): KeyOf {
  const names = [...dataset.partitionKey, ...dataset.clusteringKey];
  const values: unknown[] = names.map(() => null);
  return (row) => {
    for (let i = 0; i < names.length; i++) {
      const v = row[names[i]!];
      values[i] = Buffer.isBuffer(v) ? v.toString('hex') : v;
    }
    return JSON.stringify(values);
  };
}
