import * as avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRecordProcessor, RULE_PARSE, RULE_SCHEMA } from '../../../ingest/src/pipeline/record-processor';
import { rejectionJson } from '../../../ingest/src/pipeline/rejection';
import { MAX_JSON_DEPTH } from '../../../infra/json-depth';
import type { RawRecord } from '../../../ingest/src/readers/raw-record';
import type { AvroPrimitive, Dataset, FieldSpec } from '../../../infra/tenant/types';
import { allTypesDatasetJson } from '../helpers/all-types-dataset';
import { clientA, clientB, sensors } from '../helpers/datasets';
import { depthOf, hostileText } from '../helpers/hostile-input';
import { tenantFrom } from '../helpers/tenant-dirs';

// Hostile records: every raw record, whatever its values (text as csv gives it, any JSON as jsonl
// gives it, missing and extra columns), is accepted with values of the schema's types, or rejected
// with a reason and a rule, and the rejection can be written to quarantine and the DLQ.

const NOW = Date.UTC(2026, 0, 15);

const DATASETS: readonly Dataset[] = [
  clientA({ qualityRules: [{ name: 'speed', field: 'SPEEDIN', kind: 'range', min: 0, max: 1e6 }, { name: 'frame', field: 'FRAME', kind: 'allowed', values: [1, 2, '3'] }] }),
  clientB({ qualityRules: [{ name: 'stars', field: 'star_rating', kind: 'range', min: 1, max: 5 }, { name: 'fresh', field: 'review_date', kind: 'timeliness', maxAgeDays: 3650 }, { name: 'market', field: 'marketplace', kind: 'pattern', pattern: '^[^"]*$' }] }),
  sensors({
    qualityRules: [
      { name: 'amount', field: 'amount', kind: 'range', min: -1000, max: 1000 },
      { name: 'note', field: 'note', kind: 'required' },
      { name: 'recent', field: 'ts', kind: 'timeliness', maxAgeDays: 30 },
      { name: 'day', field: 'day', kind: 'timeliness', maxAgeDays: 365 },
    ],
  }),
  tenantFrom('client_t', allTypesDatasetJson('ks_unit')).datasets[0]!,
];

/** Columns named like Object.prototype members, a legal Avro name each; loaded through the validator. */
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;
const PROTOTYPE_NAMED = tenantFrom('client_t', {
  name: 'prototype-names', file_type: 'jsonl', key_space: 'ks_unit', primary_key: ['id'], max_file_size_mb: 1,
  schema: { type: 'record', name: 'r', fields: [{ name: 'id', type: 'string' }, ...PROTOTYPE_NAMES.map((name) => ({ name, type: ['null', 'string'], default: null }))] },
}).datasets[0]!;

/** An object with `[key, value]` own properties, `__proto__` included (a JSON.parse result has it so). */
const own = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
};

/** Arrays nested `depth` deep, built without recursion; fast-check prints them short (its printer recurses). */
const nested = (depth: number): unknown => {
  let v: unknown[] = [];
  for (let i = 0; i < depth; i++) v = [v];
  return Object.defineProperty(v, fc.toStringMethod, { value: () => `nested(${depth})` });
};

const KEYS = ['a', 'b', '', ' ', '__proto__', 'constructor', 'toString', '0', 'ü€😀'] as const;
/** Text as a csv cell holds it: numbers, dates, uuids, base64, JSON, hostile characters. */
const text = fc.oneof(
  hostileText(12),
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('', ' ', ' 42 ', '-0', '1e400', '0x10', 'NaN', 'Infinity', '1.', '.5', '+3', '2147483648', '9007199254740993', '12.345', '99999999.99', '-0.01'),
  fc.constantFrom('2024-02-29', '2023-02-29', '2024/01/31', '2024-01-01T00:00:00Z', '2025-12-31 23:59:59+02:00', '0000-01-01', '9999-12-31T99:00', '1700000000123'),
  fc.constantFrom('3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b', '3F1C2A4E-8B7D-4C6E-9A0B-1C2D3E4F5A6B', 'AAEC/w==', 'AAEC/w=', 'true', 'Yes', 'f', 'RED', 'red', 'GREEN '),
  fc.constantFrom('[]', '{}', '["a",1,null]', '{"x":1,"y":"5000000000"}', '{"__proto__":1}', '[[1]]', `${'['.repeat(20_000)}${']'.repeat(20_000)}`),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);
/** Any value a JSON line may hold, objects with hostile keys, and nesting past what JSON.stringify survives. */
const json: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.oneof(text, fc.integer(), fc.constant(null))), { maxLength: 4 }).map(own),
  fc.array(fc.oneof(text, fc.integer()), { maxLength: 4 }),
  fc.integer({ min: 1, max: 30_000 }).map(nested),
);
const value = fc.oneof({ arbitrary: text, weight: 3 }, { arbitrary: json, weight: 2 });

/** Either form a reader gives a value in: csv text, or the JSON value itself. */
const asTextOrJson = <T>(arb: fc.Arbitrary<T>, toText: (v: T) => string = String): fc.Arbitrary<unknown> => fc.tuple(arb, fc.boolean()).map(([v, t]) => (t ? toText(v) : v));

const ITEMS: Readonly<Record<AvroPrimitive, fc.Arbitrary<unknown>>> = {
  string: hostileText(6),
  // mostly within the datasets' quality rules
  int: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 5 }), weight: 3 }, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  long: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: -(2 ** 52), max: 2 ** 52 })),
  float: fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  double: fc.oneof({ arbitrary: fc.double({ noNaN: true, min: 0, max: 1e6 }), weight: 3 }, fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.constantFrom(true, false, 'true', 'FALSE', '1', '0', 'yes', 'n'),
  bytes: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('base64')),
};
const recentIso = fc.integer({ min: NOW - 20 * 86_400_000, max: NOW }).map((ms) => new Date(ms).toISOString());

/** A value the field should take (so that rows get accepted, and their types checked). */
function plausible(f: FieldSpec): fc.Arbitrary<unknown> {
  if (f.symbols !== undefined) return fc.constantFrom(...f.symbols);
  const item = ITEMS[f.itemType ?? f.avroType];
  if (f.container === 'array') return asTextOrJson(fc.array(item, { maxLength: 3 }), JSON.stringify);
  if (f.container === 'map') return asTextOrJson(fc.array(fc.tuple(fc.constantFrom(...KEYS), item), { maxLength: 3 }).map(own), JSON.stringify);
  switch (f.logicalType) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return fc.oneof(recentIso.map((t) => t.slice(0, 10)), ...(f.avroType === 'int' ? [asTextOrJson(fc.integer({ min: 20_000, max: 20_468 }))] : []));
    case 'timestamp-millis':
    case 'timestamp-micros':
      return fc.oneof(recentIso, asTextOrJson(fc.integer({ min: NOW - 86_400_000, max: NOW }).map((ms) => (f.logicalType === 'timestamp-micros' ? ms * 1000 : ms))));
    case 'decimal':
      return asTextOrJson(fc.integer({ min: -99_999, max: 99_999 }).map((n) => n / 100));
    case undefined:
      return f.avroType === 'string' ? hostileText(8) : asTextOrJson(item);
  }
}

/** A raw record of `dataset`: each field absent, plausible or any value, plus unknown columns; or an unreadable one. */
const record = (dataset: Dataset): fc.Arbitrary<RawRecord> =>
  fc.oneof(
    {
      arbitrary: fc
        .tuple(
          fc.nat(),
          fc.tuple(...dataset.fields.map((f) => fc.oneof({ arbitrary: plausible(f), weight: 40 }, value, fc.constant(undefined)))),
          fc.array(fc.tuple(fc.constantFrom(...KEYS), value), { maxLength: 3 }),
        )
        .map(([n, values, extra]) => ({
          record: n + 1,
          line: n + 2,
          fields: own([...extra, ...dataset.fields.flatMap((f, i) => (values[i] === undefined ? [] : [[f.name, values[i]] as const]))]),
        })),
      weight: 9,
    },
    fc.record({ record: fc.nat().map((n) => n + 1), line: fc.nat(), error: fc.option(fc.string({ minLength: 1 }), { nil: undefined }), text: fc.string() }),
  );

describe('createRecordProcessor on hostile records', () => {
  for (const dataset of DATASETS) {
    it(`accepts with the schema's types or rejects with a reason and a rule: ${dataset.name}`, async () => {
      const process = createRecordProcessor({ tenant: 'client_x', dataset, source: 'f.jsonl', now: NOW });
      const type = avro.Type.forSchema(dataset.schema as avro.Schema);
      const keyFields = [...dataset.partitionKey, ...dataset.clusteringKey];
      const ruleNames = new Set(dataset.qualityRules.map((r) => r.name));
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(record(dataset), async (rec) => {
          const p = process(rec);
          if (p.ok) {
            accepted++;
            await expect(rec.fields).toBeDefined();
            await expect(Object.keys(p.row)).toEqual(dataset.fields.map((f) => f.name));
            await expect(type.isValid(p.row, { errorHook: (path, v) => expect.fail(`${path.join('.')}: ${String(v)} is not valid`) })).toBe(true);
            for (const name of keyFields) await expect(p.row[name]).not.toBe('');
            await expect((JSON.parse(p.key) as unknown[]).length).toBe(keyFields.length);
            // a map keeps every key it was given
            for (const f of dataset.fields.filter((x) => x.container === 'map' && p.row[x.name] !== null)) {
              const given = rec.fields?.[f.name];
              const input = typeof given === 'string' ? (JSON.parse(given) as object) : (given as object);
              await expect(Object.keys(p.row[f.name] as object)).toEqual(Object.keys(input));
            }
            return;
          }
          const r = p.rejection;
          await expect(r).toMatchObject({ tenant: 'client_x', dataset: dataset.name, file: 'f.jsonl', record: rec.record });
          await expect(r.reason).toMatch(/\S/);
          await expect(p.rules[0]).toBe(r.rule);
          if (rec.fields === undefined) {
            await expect(r).toMatchObject({ rule: RULE_PARSE, reason: rec.error ?? `record ${rec.record}: unreadable`, raw: rec.text });
          } else if (r.rule === RULE_SCHEMA) {
            await expect(dataset.fields.map((f) => f.name)).toContain(r.field);
            await expect(r.reason.startsWith(`field "${r.field}": `)).toBe(true);
          } else {
            await expect(p.rules.every((rule) => ruleNames.has(rule))).toBe(true);
            await expect(r.reason.endsWith(`(rule ${r.rule})`)).toBe(true);
          }
          // what a reader can yield (nested at most MAX_JSON_DEPTH) is written to quarantine and the DLQ
          if (depthOf(rec.fields) <= MAX_JSON_DEPTH) await expect(typeof JSON.stringify(rejectionJson(r))).toBe('string');
        }),
        { numRuns: 400, seed: 20261218 },
      );
      // the generator reaches both sides
      await expect(accepted).toBeGreaterThan(40);
    });
  }

  it('reads columns named like Object.prototype members as given, absent ones as null', async () => {
    const process = createRecordProcessor({ tenant: 'client_t', dataset: PROTOTYPE_NAMED, source: 'f.jsonl', now: NOW });
    const names = PROTOTYPE_NAMES;
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.option(hostileText(6), { nil: undefined }), { minLength: names.length, maxLength: names.length }), async (n, values) => {
        const given = names.flatMap((name, i) => (values[i] === undefined ? [] : [[name, values[i]] as const]));
        const expected = Object.fromEntries(names.map((name, i) => [name, values[i]?.trim() || null]));
        await expect(process({ record: 1, line: 1, fields: { id: `k${n}`, ...Object.fromEntries(given) } })).toEqual({ ok: true, row: { id: `k${n}`, ...expected }, key: JSON.stringify([`k${n}`]) });
      }),
      { numRuns: 300, seed: 20261221 },
    );
  });

  describe('shrunk counterexamples', () => {
    const [speeds, , , allTypes] = DATASETS as [Dataset, Dataset, Dataset, Dataset];

    it('a value nested too deep to show is rejected, not thrown', async () => {
      // was: RangeError from JSON.stringify in the reason; the shrunk depth depends on the stack, a deeper one overflows on any
      const process = createRecordProcessor({ tenant: 'client_x', dataset: speeds, source: 'f.jsonl', now: NOW });
      await expect(process({ record: 1, line: 2, fields: { PROVINCECODE: nested(4108) } })).toMatchObject({ ok: false, rules: [RULE_SCHEMA], rejection: { field: 'PROVINCECODE' } });
      await expect(process({ record: 1, line: 2, fields: { PROVINCECODE: nested(100_000) } })).toMatchObject({
        ok: false, rules: [RULE_SCHEMA], rejection: { field: 'PROVINCECODE', reason: 'field "PROVINCECODE": <array too deeply nested to show> is not a string' },
      });
    });

    it('a column named "constructor" that a record lacks is null, not the inherited function', async () => {
      const process = createRecordProcessor({ tenant: 'client_t', dataset: PROTOTYPE_NAMED, source: 'f.jsonl', now: NOW });
      await expect(process({ record: 1, line: 1, fields: { id: 'k0' } })).toEqual({
        ok: true, row: { id: 'k0', constructor: null, toString: null, valueOf: null, hasOwnProperty: null, __defineGetter__: null }, key: '["k0"]',
      });
    });

    it('a map key "__proto__" is rejected, not dropped', async () => {
      const process = createRecordProcessor({ tenant: 'client_x', dataset: allTypes, source: 'f.jsonl', now: NOW });
      const fields = {
        id: '00000000-0000-1000-8000-000000000000', seq: 1, label: '', big: 0, ratio: 0, amount: 0, ok: true, payload: 'AA==', day: '2025-12-26', dayText: '2025-12-26',
        atMs: '2025-12-26T00:00:00.000Z', atUs: '2025-12-26T00:00:00.000Z', price: 0, color: 'GREEN ', tags: [], counts: own([['__proto__', 0]]), note: '', maybeLong: 0,
      };
      await expect(process({ record: 1, line: 2, fields })).toMatchObject({ ok: false, rules: [RULE_SCHEMA], rejection: { field: 'counts', reason: 'field "counts": item "__proto__": is not a key a map can hold' } });
      await expect(process({ record: 1, line: 2, fields: { ...fields, counts: '{"__proto__":0}' } })).toMatchObject({ ok: false, rejection: { reason: 'field "counts": item "__proto__": is not a key a map can hold' } });
      await expect(process({ record: 1, line: 2, fields: { ...fields, counts: { constructor: 0 } } })).toMatchObject({ ok: true, row: { counts: { constructor: 0 } } });
    });
  });
});
