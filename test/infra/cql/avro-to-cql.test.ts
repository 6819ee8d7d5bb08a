import { describe, expect, it } from 'vitest';
import { mapAvroFields } from '../../../infra/cql/avro-to-cql';

describe('mapAvroFields', () => {
  it('maps every primitive and logical type of DESIGN.md', async () => {
    const { fields, problems } = mapAvroFields([
      { name: 's', type: 'string' }, { name: 'i', type: 'int' }, { name: 'l', type: 'long' }, { name: 'f', type: 'float' },
      { name: 'd', type: 'double' }, { name: 'b', type: 'boolean' }, { name: 'y', type: 'bytes' },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'ms', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'us', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
      { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
      { name: 'n', type: ['null', 'int'] },
      { name: 'n2', type: ['long', 'null'] },
      { name: 'seedDate', type: 'string', logicalType: 'date' },
    ]);
    await expect(Promise.resolve(problems)).resolves.toEqual([]);
    await expect(Promise.resolve(fields.map((f) => `${f.name}:${f.cqlType}:${f.avroType}${f.nullable ? '?' : ''}${f.logicalType ? `@${f.logicalType}` : ''}`))).resolves.toEqual([
      's:text:string', 'i:int:int', 'l:bigint:long', 'f:float:float', 'd:double:double', 'b:boolean:boolean', 'y:blob:bytes',
      'day:date:int@date', 'ms:timestamp:long@timestamp-millis', 'us:timestamp:long@timestamp-micros', 'dec:decimal:bytes@decimal',
      'id:uuid:string@uuid', 'n:int:int?', 'n2:bigint:long?', 'seedDate:date:string@date',
    ]);
  });

  it('maps enums, arrays and maps of primitives', async () => {
    const { fields } = mapAvroFields([
      { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] } },
      { name: 'a', type: { type: 'array', items: 'int' } },
      { name: 'm', type: ['null', { type: 'map', values: 'string' }] },
    ]);
    await expect(Promise.resolve(fields)).resolves.toEqual([
      { name: 'e', avroType: 'string', cqlType: 'text', nullable: false, symbols: ['X', 'Y'] },
      { name: 'a', avroType: 'int', cqlType: 'list<int>', nullable: false, container: 'array', itemType: 'int' },
      { name: 'm', avroType: 'string', cqlType: 'map<text, text>', nullable: true, container: 'map', itemType: 'string' },
    ]);
  });

  it('reports each unsupported shape with its path', async () => {
    const { problems } = mapAvroFields([
      { name: 'u', type: ['null', 'int', 'string'] },
      { name: 'arr', type: { type: 'array', items: { type: 'record', name: 'r', fields: [] } } },
      { name: 'fx', type: { type: 'fixed', name: 'F', size: 4 } },
      { name: 'lt', type: { type: 'array', items: 'int' }, logicalType: 'date' },
      { name: 'u', type: 'int' },
      { name: '__proto__', type: 'string' },
    ]);
    await expect(Promise.resolve(problems)).resolves.toEqual([
      { path: 'schema.fields[0].type', rule: 'avro-union', message: 'unions are supported only as ["null", T] (a nullable column)', value: ['null', 'int', 'string'] },
      { path: 'schema.fields[1].type', rule: 'avro-type', message: 'array items must be a primitive type', value: { type: 'record', name: 'r', fields: [] } },
      { path: 'schema.fields[2].type', rule: 'avro-type', message: 'is not supported as a column: use a primitive, enum, array or map of primitives, or a ["null", T] union (nested records and fixed must be flattened)', value: 'fixed' },
      { path: 'schema.fields[3].logicalType', rule: 'avro-logical-type', message: 'date annotates int or string, not array', value: 'date' },
      { path: 'schema.fields[4].name', rule: 'avro-duplicate-field', message: 'is the name of an earlier field', value: 'u' },
      { path: 'schema.fields[5].name', rule: 'avro-field-name', message: 'cannot name a column: JavaScript objects cannot hold a field of this name', value: '__proto__' },
    ]);
  });

  it('reads decimal precision and scale beside the logicalType that declares them, once, for batch and sink alike', async () => {
    const { fields, problems } = mapAvroFields([
      { name: 'onType', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
      // the seed's form: the annotation on the field; a scale elsewhere is not this decimal's
      { name: 'onField', type: 'bytes', logicalType: 'decimal', precision: 6, scale: 3 },
      { name: 'nullable', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 4 }] },
      { name: 'bare', type: 'bytes', logicalType: 'decimal' },
    ]);
    await expect(Promise.resolve(problems)).resolves.toEqual([]);
    await expect(Promise.resolve(fields.map((f) => [f.name, f.decimal]))).resolves.toEqual([
      ['onType', { precision: 9, scale: 2 }],
      ['onField', { precision: 6, scale: 3 }],
      ['nullable', { precision: 4, scale: 0 }],
      ['bare', { precision: 38, scale: 0 }],
    ]);
  });

  it('refuses a decimal scale beyond its precision, and a precision that is not a positive integer', async () => {
    const { problems } = mapAvroFields([
      { name: 'a', type: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 } },
      { name: 'b', type: 'bytes', logicalType: 'decimal', precision: 0 },
    ]);
    await expect(Promise.resolve(problems)).resolves.toEqual([
      { path: 'schema.fields[0].type.scale', rule: 'avro-decimal', message: 'must be an integer from 0 to the precision (2)', value: 3 },
      { path: 'schema.fields[1].precision', rule: 'avro-decimal', message: 'must be an integer of at least 1', value: 0 },
    ]);
  });
});
