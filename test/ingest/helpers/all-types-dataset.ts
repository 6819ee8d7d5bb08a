// A dataset with one column of every CQL type the Avro → CQL mapping produces, plus nullable ones.
export function allTypesDatasetJson(keyspace: string, name = 'all-types'): Record<string, unknown> {
  return {
    name,
    file_type: 'jsonl',
    key_space: keyspace,
    schema: {
      type: 'record',
      name: 'everything',
      fields: [
        { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
        { name: 'seq', type: 'int' },
        { name: 'label', type: 'string' },
        { name: 'big', type: 'long' },
        { name: 'ratio', type: 'float' },
        { name: 'amount', type: 'double' },
        { name: 'ok', type: 'boolean' },
        { name: 'payload', type: 'bytes' },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'dayText', type: 'string', logicalType: 'date' },
        { name: 'atMs', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'atUs', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'counts', type: { type: 'map', values: 'long' } },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'maybeLong', type: ['null', 'long'], default: null },
      ],
    },
    primary_key: ['id', 'seq'],
    max_file_size_mb: 10,
  };
}

/** A record of that dataset as avsc decodes it (plain primitives, no logical-type hooks). */
export function allTypesRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b',
    seq: 7,
    label: 'Grüße, "quoted"',
    big: 9_007_199_254_740_991,
    ratio: 1.5,
    amount: -12345.678,
    ok: true,
    payload: Buffer.from([0, 1, 254, 255]),
    day: 19_000, // 2022-01-08
    dayText: '2015-08-31',
    atMs: 1_700_000_000_123,
    atUs: 1_700_000_000_123_456,
    price: Buffer.from([0xff, 0x85]), // -123 unscaled → -1.23
    color: 'GREEN',
    tags: ['a', 'b'],
    counts: { x: 1, y: 5_000_000_000 },
    note: null,
    maybeLong: 42,
    ...overrides,
  };
}
