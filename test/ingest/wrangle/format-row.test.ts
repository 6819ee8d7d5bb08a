import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../ingest/src/readers/read-records';
import { fieldCoercer, Invalid } from '../../../ingest/src/wrangle/coerce';
import { createRowFormatter } from '../../../ingest/src/wrangle/format-row';
import { createRowConverter } from '../../../ingest/src/wrangle/row-converter';
import { clientB, sensors } from '../helpers/datasets';

const ROW = {
  sensorId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ts: 1_704_067_200_000, day: 19_782, reading: null, note: 'a, "b"\nc',
  amount: fieldCoercer(sensors().fields.find((f) => f.name === 'amount')!)('-12.5') as Buffer, ok: true, count: 7, tsMicros: 5, level: 0.5,
};

describe('createRowFormatter', () => {
  it('writes csv in schema order with readable values, quoting where needed and empty for null', async () => {
    const f = createRowFormatter(sensors(), 'csv');
    await expect(f.header).toBe('sensorId,ts,day,reading,note,amount,ok,count,tsMicros,level');
    await expect(f.format(ROW)).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301,2024-01-01T00:00:00.000Z,2024-02-29,,"a, ""b""\nc",-12.50,true,7,5,0.5');
  });

  it('writes tsv with tabs and jsonl with typed values', async () => {
    await expect(createRowFormatter(sensors(), 'tsv').format({ ...ROW, note: 'x' }).split('\t')).toHaveLength(10);
    await expect(JSON.parse(createRowFormatter(sensors(), 'jsonl').format(ROW))).toEqual({
      sensorId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ts: '2024-01-01T00:00:00.000Z', day: '2024-02-29', reading: null, note: 'a, "b"\nc', amount: '-12.50', ok: true, count: 7, tsMicros: 5, level: 0.5,
    });
  });

  it('writes what reads back to the same row (the out/ file is re-ingestible)', async () => {
    for (const type of ['csv', 'jsonl'] as const) {
      const f = createRowFormatter(sensors(), type);
      const text = `${f.header === undefined ? '' : `${f.header}\n`}${f.format(ROW)}\n`;
      const convert = createRowConverter(sensors());
      const out: unknown[] = [];
      for await (const batch of readRecords(Readable.from([text]), sensors(), type, `x.${type}`)) for (const r of batch) out.push(convert(r.fields!).row);
      await expect(out).toEqual([ROW]);
    }
  });

  it('quotes numbers and booleans too when the delimiter or quote could occur in their text', async () => {
    const row = { ...ROW, note: 'x', level: -1.5e21, count: 7 };
    await expect(createRowFormatter(sensors({ csv: { header: true, delimiter: '.', quote: '"' } }), 'csv').format(row)).toBe(
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301."2024-01-01T00:00:00.000Z".2024-02-29..x."-12.50".true.7.5."-1.5e+21"',
    );
    await expect(createRowFormatter(sensors({ csv: { header: true, delimiter: ',', quote: '+' } }), 'csv').format(row)).toBe(
      '3f2504e0-4f89-11d3-9a0c-0305e82c3301,2024-01-01T00:00:00.000Z,2024-02-29,,x,-12.50,true,7,5,+-1.5e++21+',
    );
  });

  it('has no header for a header-less dataset', async () => {
    await expect(createRowFormatter(clientB({ csv: { header: false, delimiter: ';', quote: "'" } }), 'csv').header).toBeUndefined();
    await expect(fieldCoercer(clientB().fields[0]!)(undefined)).toBeInstanceOf(Invalid);
  });
});
