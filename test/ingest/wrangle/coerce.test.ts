import { describe, expect, it } from 'vitest';
import type { FieldSpec } from '../../../infra/tenant/types';
import { decimalToNumber, fieldCoercer, Invalid } from '../../../ingest/src/wrangle/coerce';
import { clientB, sensors } from '../helpers/datasets';

const ds = sensors();
const field = (name: string): FieldSpec => ds.fields.find((f) => f.name === name)!;
const coerce = (name: string, v: unknown, spec: FieldSpec = field(name)): unknown => {
  const c = fieldCoercer(spec)(v);
  return c instanceof Invalid ? `INVALID ${c.message}` : c;
};
const plain = (avroType: FieldSpec['avroType'], extra: Partial<FieldSpec> = {}): FieldSpec => ({ name: 'x', avroType, cqlType: 'x', nullable: false, ...extra });

describe('fieldCoercer', () => {
  it('coerces ints and longs from text and numbers, trimming', async () => {
    await expect(coerce('x', ' 42 ', plain('int'))).toBe(42);
    await expect(coerce('x', '-7', plain('int'))).toBe(-7);
    await expect(coerce('x', '1e3', plain('int'))).toBe(1000);
    await expect(coerce('x', 12, plain('long'))).toBe(12);
    await expect(coerce('x', '4503599627370496', plain('long'))).toBe(4503599627370496);
  });

  it('rejects bad ints and longs with the value and the expectation', async () => {
    await expect(coerce('x', 'abc', plain('int'))).toBe('INVALID "abc" is not an int');
    await expect(coerce('x', '1.5', plain('int'))).toBe('INVALID "1.5" is not an int');
    await expect(coerce('x', '0x10', plain('int'))).toBe('INVALID "0x10" is not an int');
    await expect(coerce('x', '2147483648', plain('int'))).toBe('INVALID "2147483648" is outside the int range [-2147483648, 2147483647]');
    await expect(coerce('x', '9007199254740993', plain('long'))).toBe('INVALID "9007199254740993" is outside the long range this runtime encodes exactly (±4503599627370496)');
    await expect(coerce('x', true, plain('long'))).toBe('INVALID true is not a long');
  });

  it('coerces doubles and floats, refusing non-finite text', async () => {
    await expect(coerce('x', '3.25', plain('double'))).toBe(3.25);
    await expect(coerce('x', '.5', plain('float'))).toBe(0.5);
    await expect(coerce('x', 'NaN', plain('double'))).toBe('INVALID "NaN" is not a double');
    await expect(coerce('x', '1e999', plain('double'))).toBe('INVALID "1e999" is not a double');
  });

  it('coerces booleans from common spellings', async () => {
    for (const t of ['true', 'TRUE', '1', 'yes', 'Y', 't', true]) await expect(coerce('ok', t)).toBe(true);
    for (const f of ['false', '0', 'no', 'N', 'f', false, 0]) await expect(coerce('ok', f)).toBe(false);
    await expect(coerce('ok', 'maybe')).toBe('INVALID "maybe" is not a boolean (true/false, 1/0, yes/no)');
  });

  it('turns empty text into null for nullable fields, the default when declared, and refuses it otherwise', async () => {
    await expect(coerce('reading', '  ')).toBeNull();
    await expect(coerce('reading', null)).toBeNull();
    await expect(coerce('reading', undefined)).toBeNull();
    await expect(coerce('x', '', plain('int', { default: 5 }))).toBe(5);
    await expect(coerce('x', '', plain('string'))).toBe('');
    await expect(coerce('x', undefined, plain('string'))).toBe('INVALID is missing');
    await expect(coerce('ok', '')).toBe('INVALID "" is empty but the field is not nullable');
  });

  it('normalises string dates (the seed form) and refuses impossible ones', async () => {
    const date = clientB().fields.find((f) => f.name === 'review_date')!;
    const c = (v: unknown): unknown => { const r = fieldCoercer(date)(v); return r instanceof Invalid ? `INVALID ${r.message}` : r; };
    await expect(c('2015-08-31')).toBe('2015-08-31');
    await expect(c('2015/08/31')).toBe('2015-08-31');
    await expect(c('2015-08-31T10:00:00Z')).toBe('2015-08-31');
    await expect(c('2015-02-29')).toBe('INVALID "2015-02-29" is not a date (YYYY-MM-DD)');
    await expect(c('31/08/2015')).toBe('INVALID "31/08/2015" is not a date (YYYY-MM-DD)');
  });

  it('makes int dates days since epoch from text or numbers', async () => {
    await expect(coerce('day', '1970-01-02')).toBe(1);
    await expect(coerce('day', '2024-02-29')).toBe(19782);
    await expect(coerce('day', 19782)).toBe(19782);
    await expect(coerce('day', 'soon')).toBe('INVALID "soon" is not a date (YYYY-MM-DD or days since 1970-01-01)');
  });

  it('reads timestamps as ISO 8601 (UTC without a zone) or epoch numbers', async () => {
    await expect(coerce('ts', '2024-01-01T00:00:00Z')).toBe(1_704_067_200_000);
    await expect(coerce('ts', '2024-01-01 00:00:00')).toBe(1_704_067_200_000);
    await expect(coerce('ts', '2024-01-01T01:00:00+01:00')).toBe(1_704_067_200_000);
    await expect(coerce('ts', '1704067200000')).toBe(1_704_067_200_000);
    await expect(coerce('tsMicros', '2024-01-01T00:00:00.001Z')).toBe(1_704_067_200_001_000);
    await expect(coerce('tsMicros', 5)).toBe(5);
    await expect(coerce('ts', 'noon')).toBe('INVALID "noon" is not a timestamp (ISO 8601, or epoch milliseconds)');
  });

  it('checks and lowercases uuids', async () => {
    await expect(coerce('sensorId', '3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    await expect(coerce('sensorId', 'abc')).toBe('INVALID "abc" is not a uuid');
  });

  it('encodes decimals as two\'s complement unscaled bytes at the schema scale', async () => {
    const bytes = coerce('amount', '12.34') as Buffer;
    await expect([...bytes]).toEqual([0x04, 0xd2]);
    await expect(decimalToNumber(bytes, 2)).toBe(12.34);
    await expect(decimalToNumber(coerce('amount', '-1.5') as Buffer, 2)).toBe(-1.5);
    await expect([...(coerce('amount', '1.28') as Buffer)]).toEqual([0x00, 0x80]);
    await expect(decimalToNumber(coerce('amount', '0') as Buffer, 2)).toBe(0);
    await expect(coerce('amount', '1.234')).toBe('INVALID "1.234" has more than 2 decimal places');
    await expect(coerce('amount', '123456789.1')).toBe('INVALID "123456789.1" has more than 10 digits');
    await expect(coerce('amount', 'ten')).toBe('INVALID "ten" is not a decimal(10,2)');
  });

  it('decodes base64 bytes and refuses other text', async () => {
    await expect(coerce('x', 'AQI=', plain('bytes'))).toEqual(Buffer.from([1, 2]));
    await expect(coerce('x', 'not base64!', plain('bytes'))).toBe('INVALID "not base64!" is not base64 bytes');
  });

  it('accepts only an enum\'s symbols', async () => {
    const e = plain('string', { symbols: ['A', 'B'] });
    await expect(coerce('x', 'A', e)).toBe('A');
    await expect(coerce('x', 'C', e)).toBe('INVALID "C" is not one of "A", "B"');
  });

  it('reads arrays and maps from JSON values or JSON text, coercing items', async () => {
    const arr = plain('int', { container: 'array', itemType: 'int' });
    await expect(coerce('x', '[1, "2"]', arr)).toEqual([1, 2]);
    await expect(coerce('x', [3], arr)).toEqual([3]);
    await expect(coerce('x', '[1, "x"]', arr)).toBe('INVALID item 1: "x" is not an int');
    await expect(coerce('x', '{', arr)).toBe('INVALID "{" is not an array (JSON)');
    const map = plain('double', { container: 'map', itemType: 'double' });
    await expect(coerce('x', { a: '1.5' }, map)).toEqual({ a: 1.5 });
    await expect(coerce('x', '[1]', map)).toBe('INVALID "[1]" is not an object');
  });
});
