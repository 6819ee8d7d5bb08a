import { describe, expect, it } from 'vitest';
import { createRowConverter } from '../../../ingest/src/wrangle/row-converter';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';
import { clientA } from '../helpers/datasets';

const RAW = { PROVINCECODE: ' HN ', DEVICEID: 'D1', IFINDEX: '1', FRAME: '2', SLOT: '3', PORT: '4', ONUINDEX: '5', ONUID: '6', TIME: '2019-07-01 10:00:00', SPEEDIN: '1.5', SPEEDOUT: '2', EXTRA: 'ignored' };

describe('createRowConverter', () => {
  const convert = createRowConverter(clientA());

  it('converts, trims and orders fields by the schema, dropping unknown columns', async () => {
    const { row } = convert(RAW);
    await expect(row).toEqual({ PROVINCECODE: 'HN', DEVICEID: 'D1', IFINDEX: 1, FRAME: 2, SLOT: 3, PORT: 4, ONUINDEX: 5, ONUID: 6, TIME: '2019-07-01 10:00:00', SPEEDIN: 1.5, SPEEDOUT: 2 });
    await expect(Object.keys(row!)[0]).toBe('PROVINCECODE');
  });

  it('names the first bad field, its value and the reason', async () => {
    await expect(convert({ ...RAW, FRAME: 'x', SLOT: 'y' })).toEqual({ invalid: { field: 'FRAME', value: 'x', reason: 'field "FRAME": "x" is not an int' } });
    await expect(convert({ ...RAW, SLOT: undefined })).toEqual({ invalid: { field: 'SLOT', value: null, reason: 'field "SLOT": is missing' } });
  });

  it('refuses an empty primary-key value', async () => {
    await expect(convert({ ...RAW, DEVICEID: ' ' })).toEqual({ invalid: { field: 'DEVICEID', value: ' ', reason: 'field "DEVICEID": is empty but is part of the primary key' } });
  });
});

describe('primaryKeyOf', () => {
  it('joins partition then clustering values as a JSON array', async () => {
    const keyOf = primaryKeyOf(clientA());
    await expect(keyOf({ ONUID: 7, DEVICEID: 'D2', PROVINCECODE: 'P1' })).toBe('["P1","D2",7]');
    await expect(primaryKeyOf(clientA({ partitionKey: ['PROVINCECODE'], clusteringKey: ['DEVICEID'] }))({ PROVINCECODE: Buffer.from([1, 255]), DEVICEID: 'x' })).toBe('["01ff","x"]');
  });
});
