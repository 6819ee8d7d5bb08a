import { types } from 'cassandra-driver';
import type { AvroPrimitive, Dataset, FieldSpec } from '../../../infra/tenant/types';
import { InputError } from '../../../infra/errors';
import { decimalOf } from '../wrangle/coerce';

/** Turns one decoded Avro record into the INSERT's bound values, in `dataset.fields` order. */
export type RowConverter = (record: Readonly<Record<string, unknown>>) => unknown[];

type ValueConverter = (value: unknown) => unknown;

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Thrown inside a value converter; the row converter adds the field name. */
class BadValue extends Error {}

const show = (value: unknown): string => (Buffer.isBuffer(value) ? `<${value.length} bytes>` : (JSON.stringify(value) ?? String(value)));

function expect(ok: boolean, value: unknown, expected: string): void {
  if (!ok) throw new BadValue(`${show(value)} is not ${expected}`);
}

function localDateFromText(value: unknown): types.LocalDate {
  const m = typeof value === 'string' ? DATE_TEXT.exec(value) : null;
  const [year, month, day] = m === null ? [NaN, NaN, NaN] : [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  expect(m !== null && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day, value, 'a date (YYYY-MM-DD)');
  return new types.LocalDate(year, month, day);
}

function localDateFromDays(value: unknown): types.LocalDate {
  expect(Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX, value, 'a date (days since 1970-01-01)');
  return types.LocalDate.fromString(String(value)); // digits only: days since epoch
}

function timestamp(value: unknown, micros: boolean): Date {
  let ms: number;
  if (typeof value === 'string') ms = Date.parse(value);
  else if (Number.isSafeInteger(value)) ms = micros ? Math.floor((value as number) / 1000) : (value as number);
  else ms = NaN;
  // Date's range is ±8.64e15 ms; beyond it there is no timestamp to write.
  expect(!Number.isNaN(new Date(ms).getTime()), value, `a timestamp (${micros ? 'microseconds' : 'milliseconds'} since epoch or ISO-8601 text)`);
  return new Date(ms);
}

function decimal(value: unknown, scale: number): types.BigDecimal {
  if (Buffer.isBuffer(value)) {
    expect(value.length > 0, value, 'a decimal (two\'s complement bytes)');
    // The driver's own decimal layout: 4-byte scale, then the unscaled two's complement bytes.
    const scaleBytes = Buffer.alloc(4);
    scaleBytes.writeInt32BE(scale, 0);
    return types.BigDecimal.fromBuffer(Buffer.concat([scaleBytes, value]));
  }
  expect(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value), value, 'a decimal');
  return types.BigDecimal.fromString(value as string);
}

function uuid(value: unknown): types.Uuid {
  expect(typeof value === 'string' && UUID_TEXT.test(value), value, 'a uuid');
  return types.Uuid.fromString(value as string);
}

/** Avro primitives as the driver binds them: longs as Long (a JS number would bind as a double). */
function primitive(type: AvroPrimitive): ValueConverter {
  switch (type) {
    case 'long':
      return (v) => {
        expect(Number.isSafeInteger(v) || typeof v === 'bigint', v, 'a long');
        return typeof v === 'bigint' ? types.Long.fromString(v.toString()) : types.Long.fromNumber(v as number);
      };
    case 'int':
      return (v) => {
        expect(Number.isInteger(v) && (v as number) >= INT32_MIN && (v as number) <= INT32_MAX, v, 'an int');
        return v;
      };
    case 'float':
    case 'double':
      return (v) => {
        expect(typeof v === 'number', v, `a ${type}`);
        return v;
      };
    case 'boolean':
      return (v) => {
        expect(typeof v === 'boolean', v, 'a boolean');
        return v;
      };
    case 'bytes':
      return (v) => {
        expect(Buffer.isBuffer(v), v, 'bytes');
        return v;
      };
    case 'string':
      return (v) => {
        expect(typeof v === 'string', v, 'a string');
        return v;
      };
  }
}

function valueConverter(field: FieldSpec): ValueConverter {
  if (field.container !== undefined) {
    const item = primitive(field.itemType ?? field.avroType);
    if (field.container === 'array') {
      return (v) => {
        expect(Array.isArray(v), v, 'an array');
        return (v as unknown[]).map(item);
      };
    }
    return (v) => {
      expect(typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v), v, 'a map');
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, item(x)]));
    };
  }
  switch (field.logicalType) {
    case 'date':
      return field.avroType === 'int' ? localDateFromDays : localDateFromText;
    case 'timestamp-millis':
      return (v) => timestamp(v, false);
    case 'timestamp-micros':
      return (v) => timestamp(v, true);
    case 'decimal': {
      const { scale } = decimalOf(field);
      return (v) => decimal(v, scale);
    }
    case 'uuid':
      return uuid;
    case undefined:
      return primitive(field.avroType);
  }
}

/**
 * Builds the converter for a dataset once (per-field closures, no per-row type dispatch). Values
 * arrive as plain avsc decodes them (see the Kafka message format); null is allowed only for
 * nullable fields outside the primary key. Throws InputError naming the field and the value.
 */
export function createRowConverter(dataset: Pick<Dataset, 'schema' | 'fields' | 'partitionKey' | 'clusteringKey'>): RowConverter {
  const keyColumns = new Set([...dataset.partitionKey, ...dataset.clusteringKey]);
  const converters = dataset.fields.map((field) => {
    const convert = valueConverter(field);
    const nullable = field.nullable && !keyColumns.has(field.name);
    const why = keyColumns.has(field.name) ? 'it is part of the primary key' : 'the field is not nullable';
    return (record: Readonly<Record<string, unknown>>): unknown => {
      const value = record[field.name];
      if (value === null || value === undefined) {
        if (nullable) return null;
        throw new InputError(`field "${field.name}": missing value, but ${why}`);
      }
      try {
        return convert(value);
      } catch (err) {
        if (!(err instanceof BadValue)) throw err;
        throw new InputError(`field "${field.name}": ${err.message} (column type ${field.cqlType})`);
      }
    };
  });
  return (record) => converters.map((convert) => convert(record));
}
