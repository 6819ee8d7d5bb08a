import type { Dataset } from '../../../infra/tenant/types';
import { fieldCoercer, Invalid, type Coercer } from './coerce';

/** A row converted to Avro wire values, or the first field that could not be. */
export type Conversion =
  | { readonly row: Record<string, unknown>; readonly invalid?: undefined }
  | { readonly row?: undefined; readonly invalid: { readonly field: string; readonly value: unknown; readonly reason: string } };

export type RowConverter = (fields: Readonly<Record<string, unknown>>) => Conversion;

export interface RowConverterOptions {
  /** Convert only the primary-key fields (a cheap first pass that only needs each row's key). @default false */
  readonly keyOnly?: boolean;
}

/**
 * Compiles the dataset's field coercers once; the returned function converts one record (fields
 * by name, as read) into a record for the Avro schema, in schema order. Columns the schema does not
 * know are dropped. Primary-key fields must not be empty (Cassandra refuses empty partition keys).
 */
export function createRowConverter(dataset: Dataset, options: RowConverterOptions = {}): RowConverter {
  const keyFields = new Set([...dataset.partitionKey, ...dataset.clusteringKey]);
  const fields = (options.keyOnly ?? false) ? dataset.fields.filter((f) => keyFields.has(f.name)) : dataset.fields;
  // A column named like an Object.prototype member ("constructor") is read only as an own property:
  // a record without it would otherwise give the inherited function.
  const plan: { name: string; coerce: Coercer; key: boolean; inherited: boolean }[] = fields.map((f) => ({ name: f.name, coerce: fieldCoercer(f), key: keyFields.has(f.name), inherited: f.name in Object.prototype }));
  return (fields) => {
    const row: Record<string, unknown> = {};
    for (const { name, coerce, key, inherited } of plan) {
      const raw = inherited && !Object.hasOwn(fields, name) ? undefined : fields[name];
      const value = coerce(raw);
      if (value instanceof Invalid) return { invalid: { field: name, value: raw === undefined ? null : raw, reason: `field "${name}": ${value.message}` } };
      if (key && value === '') return { invalid: { field: name, value: raw, reason: `field "${name}": is empty but is part of the primary key` } };
      row[name] = value;
    }
    return { row };
  };
}
