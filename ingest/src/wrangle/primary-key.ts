import type { Dataset } from '../../../infra/tenant/types';

/** The row's Kafka key: its primary-key values (partition, then clustering) as a JSON array, e.g. `["P1","D2",7]`. */
export type KeyOf = (row: Readonly<Record<string, unknown>>) => string;

export function primaryKeyOf(dataset: Dataset): KeyOf {
  const names = [...dataset.partitionKey, ...dataset.clusteringKey];
  // Blob/decimal key columns as hex, so equal bytes give equal keys.
  const value = (v: unknown): unknown => (Buffer.isBuffer(v) ? v.toString('hex') : v);
  return (row) => JSON.stringify(names.map((n) => value(row[n])));
}
