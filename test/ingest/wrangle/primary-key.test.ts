import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../infra/tenant/types';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';

const dataset = (partitionKey: string[], clusteringKey: string[]): Dataset => ({ partitionKey, clusteringKey }) as unknown as Dataset;

describe('primaryKeyOf', () => {
  it('is the JSON array of the partition then clustering values', async () => {
    const keyOf = primaryKeyOf(dataset(['p', 'd'], ['n']));
    await expect(keyOf({ n: 7, d: 'D2', p: 'P1', other: 'x' })).toBe('["P1","D2",7]');
  });

  it('writes exactly what JSON.stringify of the array writes, for every kind of value', async () => {
    const keyOf = primaryKeyOf(dataset(['a'], ['b', 'c']));
    const values: unknown[] = ['', 'quote " and \\ and \n', 'ü€😀', 0, -1.5, 1e21, NaN, Infinity, true, null, undefined, [1, 'x'], { k: 1 }];
    for (const a of values) {
      for (const b of values.slice(0, 4)) {
        await expect(keyOf({ a, b, c: a })).toBe(JSON.stringify([a, b, a]));
      }
    }
  });

  it('writes bytes as hex, so equal bytes give equal keys', async () => {
    const keyOf = primaryKeyOf(dataset(['blob'], []));
    await expect(keyOf({ blob: Buffer.from([0, 255, 16]) })).toBe('["00ff10"]');
    await expect(keyOf({ blob: Buffer.from([0, 255, 16]) })).toBe(keyOf({ blob: Buffer.from('00ff10', 'hex') }));
  });
});
