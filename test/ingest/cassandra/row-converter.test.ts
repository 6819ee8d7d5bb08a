import { types } from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { createRowConverter } from '../../../ingest/src/cassandra/row-converter';
import { InputError } from '../../../infra/errors';
import { allTypesDatasetJson, allTypesRecord } from '../helpers/all-types-dataset';
import { seedDataset, tenantFrom } from '../helpers/tenant-dirs';

const dataset = tenantFrom('client_t', allTypesDatasetJson('ks_unit')).datasets[0]!;
const convert = createRowConverter(dataset);
const column = (name: string): number => dataset.fields.findIndex((f) => f.name === name);

function convertField(name: string, value: unknown): unknown {
  return convert(allTypesRecord({ [name]: value }))[column(name)];
}

describe('createRowConverter', () => {
  it('binds every type as the driver expects, in field order', () => {
    const row = convert(allTypesRecord());
    expect(row).toHaveLength(dataset.fields.length);
    const at = (name: string): unknown => row[column(name)];
    expect(at('id')).toEqual(types.Uuid.fromString('3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b'));
    expect(at('seq')).toBe(7);
    expect(at('label')).toBe('Grüße, "quoted"');
    expect((at('big') as types.Long).toString()).toBe('9007199254740991');
    expect(at('ratio')).toBe(1.5);
    expect(at('ok')).toBe(true);
    expect(at('payload')).toEqual(Buffer.from([0, 1, 254, 255]));
    expect((at('day') as types.LocalDate).toString()).toBe('2022-01-08');
    expect((at('dayText') as types.LocalDate).toString()).toBe('2015-08-31');
    expect((at('atMs') as Date).toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect((at('atUs') as Date).toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect((at('price') as types.BigDecimal).toString()).toBe('-1.23');
    expect(at('color')).toBe('GREEN');
    expect(at('tags')).toEqual(['a', 'b']);
    const counts = at('counts') as Record<string, types.Long>;
    expect(Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v.toString()]))).toEqual({ x: '1', y: '5000000000' });
    expect(at('note')).toBeNull();
    expect((at('maybeLong') as types.Long).toString()).toBe('42');
  });

  it('keeps nullable fields null (a later version clears the column) and undefined as null', () => {
    expect(convertField('maybeLong', null)).toBeNull();
    expect(convertField('note', undefined)).toBeNull();
  });

  it('converts decimals given as text and ISO timestamps', () => {
    expect((convertField('price', '12.50') as types.BigDecimal).toString()).toBe('12.50');
    expect((convertField('atMs', '2024-02-29T12:00:00Z') as Date).toISOString()).toBe('2024-02-29T12:00:00.000Z');
  });

  const bad: [string, unknown, string][] = [
    ['dayText', '2015-02-30', 'field "dayText": "2015-02-30" is not a date (YYYY-MM-DD) (column type date)'],
    ['dayText', '31/08/2015', 'field "dayText": "31/08/2015" is not a date (YYYY-MM-DD) (column type date)'],
    ['day', 1.5, 'field "day": 1.5 is not a date (days since 1970-01-01) (column type date)'],
    ['atMs', 'yesterday', 'field "atMs": "yesterday" is not a timestamp (milliseconds since epoch or ISO-8601 text) (column type timestamp)'],
    ['atUs', 1e20, 'field "atUs": 100000000000000000000 is not a timestamp (microseconds since epoch or ISO-8601 text) (column type timestamp)'],
    ['price', '1,5', 'field "price": "1,5" is not a decimal (column type decimal)'],
    ['price', Buffer.alloc(0), 'field "price": <0 bytes> is not a decimal (two\'s complement bytes) (column type decimal)'],
    ['id', 'not-a-uuid', 'field "id": "not-a-uuid" is not a uuid (column type uuid)'],
    ['big', 1.25, 'field "big": 1.25 is not a long (column type bigint)'],
    ['seq', 2 ** 31, 'field "seq": 2147483648 is not an int (column type int)'],
    ['ok', 'yes', 'field "ok": "yes" is not a boolean (column type boolean)'],
    ['payload', 'AAEC', 'field "payload": "AAEC" is not bytes (column type blob)'],
    ['tags', 'a,b', 'field "tags": "a,b" is not an array (column type list<text>)'],
    ['tags', ['a', 3], 'field "tags": 3 is not a string (column type list<text>)'],
    ['counts', { x: 'many' }, 'field "counts": "many" is not a long (column type map<text, bigint>)'],
    ['label', null, 'field "label": missing value, but the field is not nullable'],
    ['seq', undefined, 'field "seq": missing value, but it is part of the primary key'],
  ];
  it.each(bad)('rejects %s = %j with an exact message', (name, value, message) => {
    let thrown: unknown;
    try {
      convertField(name, value);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as Error).message).toBe(message);
  });

  it('handles the seed client_b string date', () => {
    const b = tenantFrom('client_b', seedDataset('client_b', 'ks_unit')).datasets[0]!;
    const row = createRowConverter(b)(Object.fromEntries(b.fields.map((f) => [f.name, f.avroType === 'int' ? 3 : f.name === 'review_date' ? '2015-08-31' : 'x'])));
    expect((row[b.fields.findIndex((f) => f.name === 'review_date')] as types.LocalDate).toString()).toBe('2015-08-31');
  });
});
