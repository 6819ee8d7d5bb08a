import { describe, expect, it } from 'vitest';
import type { QualityRule } from '../../../infra/tenant/types';
import { compileQualityRules } from '../../../ingest/src/quality/quality-rules';
import { decimalToNumber } from '../../../ingest/src/wrangle/coerce';
import { clientB, sensors } from '../helpers/datasets';

const NOW = Date.UTC(2024, 0, 31);
const rule = (r: Partial<QualityRule> & Pick<QualityRule, 'field' | 'kind'>): QualityRule => ({ name: `${r.field}.${r.kind}`, ...r });

describe('compileQualityRules', () => {
  const check = compileQualityRules(
    sensors({
      qualityRules: [
        rule({ field: 'note', kind: 'required' }),
        rule({ field: 'reading', kind: 'range', min: -40, max: 60 }),
        rule({ field: 'amount', kind: 'range', max: 100 }),
        rule({ field: 'sensorId', kind: 'pattern', pattern: '^3f' }),
        rule({ field: 'level', kind: 'allowed', values: [0.5, 1] }),
        rule({ field: 'ts', kind: 'timeliness', maxAgeDays: 7 }),
        rule({ field: 'day', kind: 'timeliness', maxAgeDays: 30 }),
        rule({ field: 'tsMicros', kind: 'timeliness', maxAgeDays: 1 }),
      ],
    }),
    NOW,
  );
  const good = { sensorId: '3f25', ts: NOW - 86_400_000, day: NOW / 86_400_000 - 2, reading: 20, note: 'n', amount: Buffer.from([0x04, 0xd2]), ok: true, count: null, tsMicros: null, level: 1 };

  it('passes a row meeting every rule, and lets null pass all but required', async () => {
    await expect(check(good)).toEqual([]);
    await expect(check({ ...good, reading: null, level: null })).toEqual([]);
  });

  it('reports every rule a row fails with the rule, field, value and reason', async () => {
    const failures = check({ ...good, note: '', reading: 61, amount: Buffer.from([0x27, 0x74]), sensorId: 'ab', level: 2, ts: NOW - 8 * 86_400_000, tsMicros: (NOW - 2 * 86_400_000) * 1000 });
    await expect(failures).toEqual([
      { rule: 'note.required', field: 'note', value: '', reason: 'field "note": is required but empty (rule note.required)' },
      { rule: 'reading.range', field: 'reading', value: 61, reason: 'field "reading": 61 is above the maximum 60 (rule reading.range)' },
      { rule: 'amount.range', field: 'amount', value: 101, reason: 'field "amount": 101 is above the maximum 100 (rule amount.range)' },
      { rule: 'sensorId.pattern', field: 'sensorId', value: 'ab', reason: 'field "sensorId": "ab" does not match /^3f/ (rule sensorId.pattern)' },
      { rule: 'level.allowed', field: 'level', value: 2, reason: 'field "level": 2 is not one of 0.5, 1 (rule level.allowed)' },
      { rule: 'ts.timeliness', field: 'ts', value: NOW - 8 * 86_400_000, reason: `field "ts": ${NOW - 8 * 86_400_000} is older than 7 days (rule ts.timeliness)` },
      { rule: 'tsMicros.timeliness', field: 'tsMicros', value: (NOW - 2 * 86_400_000) * 1000, reason: `field "tsMicros": ${(NOW - 2 * 86_400_000) * 1000} is older than 1 days (rule tsMicros.timeliness)` },
    ]);
    await expect(decimalToNumber(Buffer.from([0x27, 0x74]), 2)).toBe(101);
  });

  it('reports a value below the minimum', async () => {
    await expect(check({ ...good, reading: -41 })[0]?.reason).toBe('field "reading": -41 is below the minimum -40 (rule reading.range)');
  });

  it('judges string dates (the seed form) for timeliness', async () => {
    const c = compileQualityRules(clientB({ qualityRules: [rule({ name: 'fresh', field: 'review_date', kind: 'timeliness', maxAgeDays: 10 })] }), NOW);
    await expect(c({ review_date: '2024-01-30' })).toEqual([]);
    await expect(c({ review_date: '2023-12-01' })).toEqual([{ rule: 'fresh', field: 'review_date', value: '2023-12-01', reason: 'field "review_date": "2023-12-01" is older than 10 days (rule fresh)' }]);
  });

  it('refuses a rule naming an unknown field', async () => {
    await expect(() => compileQualityRules(clientB({ qualityRules: [rule({ name: 'r1', field: 'nope', kind: 'required' })] }), NOW)).toThrow('quality rule r1 names unknown field "nope"');
  });
});
