import { describe, expect, it } from 'vitest';
import { createRecordProcessor } from '../../../ingest/src/pipeline/record-processor';
import { clientA } from '../helpers/datasets';

const FIELDS = { PROVINCECODE: 'HN', DEVICEID: 'D1', IFINDEX: '1', FRAME: '2', SLOT: '3', PORT: '4', ONUINDEX: '5', ONUID: '6', TIME: 't', SPEEDIN: '10', SPEEDOUT: '2' };

describe('createRecordProcessor', () => {
  const process = createRecordProcessor({
    tenant: 'client_a', source: 'f.csv', now: 0,
    dataset: clientA({ qualityRules: [{ name: 'speed', field: 'SPEEDIN', kind: 'range', max: 5 }, { name: 'frame', field: 'FRAME', kind: 'allowed', values: [1] }] }),
  });

  it('accepts a good row with its key', async () => {
    const p = process({ record: 1, line: 2, fields: { ...FIELDS, SPEEDIN: '4', FRAME: '1' } });
    await expect(p).toMatchObject({ ok: true, key: '["HN","D1",6]', row: { SPEEDIN: 4, FRAME: 1 } });
  });

  it('rejects an unreadable record as parse, with its text', async () => {
    await expect(process({ record: 3, line: 4, error: 'line 4: expected 11 columns, got 2', text: 'a,b' })).toEqual({
      ok: false, rules: ['parse'],
      rejection: { tenant: 'client_a', dataset: 'speed-tracking-data', file: 'f.csv', record: 3, reason: 'line 4: expected 11 columns, got 2', rule: 'parse', field: undefined, value: undefined, raw: 'a,b' },
    });
  });

  it('rejects a type error as schema, naming field and value', async () => {
    const p = process({ record: 2, line: 3, fields: { ...FIELDS, PORT: 'x' } });
    await expect(p).toMatchObject({ ok: false, rules: ['schema'], rejection: { rule: 'schema', field: 'PORT', value: 'x', reason: 'field "PORT": "x" is not an int', raw: { ...FIELDS, PORT: 'x' } } });
  });

  it('rejects with the first failing quality rule and counts every one', async () => {
    const p = process({ record: 5, line: 6, fields: FIELDS });
    await expect(p).toMatchObject({ ok: false, rules: ['speed', 'frame'], rejection: { rule: 'speed', field: 'SPEEDIN', value: 10, reason: 'field "SPEEDIN": 10 is above the maximum 5 (rule speed)' } });
  });
});
