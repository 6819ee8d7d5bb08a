import { describe, expect, it } from 'vitest';
import { Deduplicator } from '../../../ingest/src/wrangle/deduplicator';

/** Runs both passes over keys (record numbers from 1) and returns the records kept. */
function kept(keys: string[]): number[] {
  const d = new Deduplicator();
  keys.forEach((k, i) => d.observe(k, i + 1));
  return keys.flatMap((k, i) => (d.isLast(k, i + 1) ? [i + 1] : []));
}

describe('Deduplicator', () => {
  it('keeps the last row of each key, in file order', async () => {
    await expect(kept(['a', 'b', 'a', 'c', 'b', 'a'])).toEqual([4, 5, 6]);
  });

  it('keeps every row when keys are distinct, across table growth', async () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `["P${i % 7}","D${i}",${i}]`);
    await expect(kept(keys).length).toBe(200_000);
  });

  it('stays exact on hash collisions among 300,000 keys with duplicates', async () => {
    const keys = Array.from({ length: 300_000 }, (_, i) => `k${i % 250_000}`);
    const result = kept(keys);
    await expect(result.length).toBe(250_000);
    // keys k0..k49999 appear twice: only their second row (records 250001..300000) stays
    await expect(result[0]).toBe(50_001);
    await expect(result.at(-1)).toBe(300_000);
  });
});
