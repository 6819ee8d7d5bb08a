import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataGenerator, prng } from '../../../ingest/src/gen/data-generator';
import { writeGenerated } from '../../../ingest/src/gen/write-generated';
import { createRecordProcessor } from '../../../ingest/src/pipeline/record-processor';
import { readRecords } from '../../../ingest/src/readers/read-records';
import { Deduplicator } from '../../../ingest/src/wrangle/deduplicator';
import type { Dataset, FileType } from '../../../infra/tenant/types';
import { clientA, clientB, sensors } from '../helpers/datasets';
import { tempDir } from '../helpers/tenant-dirs';

const NOW = Date.UTC(2025, 5, 1);

/** What the pipeline makes of a file, without Kafka: both passes of the record processor and the deduplicator. */
async function outcome(ds: Dataset, file: string, type: FileType): Promise<{ ok: number; rejected: number; deduplicated: number; rules: Record<string, number> }> {
  const process = createRecordProcessor({ tenant: 't', dataset: ds, source: 'f', now: NOW });
  const dedup = new Deduplicator();
  for await (const batch of readRecords(fs.createReadStream(file), ds, type, 'f')) for (const r of batch) { const p = process(r); if (p.ok) dedup.observe(p.key, r.record); }
  const result = { ok: 0, rejected: 0, deduplicated: 0, rules: {} as Record<string, number> };
  for await (const batch of readRecords(fs.createReadStream(file), ds, type, 'f')) {
    for (const r of batch) {
      const p = process(r);
      if (!p.ok) { result.rejected++; for (const rule of p.rules) result.rules[rule] = (result.rules[rule] ?? 0) + 1; } else if (dedup.isLast(p.key, r.record)) result.ok++; else result.deduplicated++;
    }
  }
  return result;
}

describe('writeGenerated', () => {
  const withRules = clientA({ qualityRules: [{ name: 'speed', field: 'SPEEDIN', kind: 'range', min: 0, max: 1000 }] });
  for (const [name, ds, type] of [['client_a csv', withRules, 'csv'], ['client_b csv', clientB(), 'csv'], ['sensors jsonl', sensors(), 'jsonl'], ['sensors tsv', sensors({ fileTypes: ['tsv'] }), 'tsv']] as const) {
    it(`generates ${name} whose bad rows the pipeline counts exactly as predicted`, async () => {
      const file = path.join(tempDir('gen'), `g.${type}`);
      const summary = await writeGenerated(ds, file, { rows: 3000, type, badRatio: 0.2, seed: 7, now: NOW });
      await expect(summary.rows).toBe(3000);
      await expect(Object.values(summary.bad).reduce((a, b) => a + b, 0)).toBeGreaterThan(450);
      const got = await outcome(ds, file, type);
      await expect({ ok: got.ok, rejected: got.rejected, deduplicated: got.deduplicated }).toEqual({ ok: summary.expectedOk, rejected: summary.expectedRejected, deduplicated: summary.expectedDeduplicated });
    });
  }

  it('is deterministic for a seed', async () => {
    const dir = tempDir('gen');
    await writeGenerated(clientB(), path.join(dir, 'a.csv'), { rows: 200, type: 'csv', badRatio: 0.1, seed: 3, now: NOW });
    await writeGenerated(clientB(), path.join(dir, 'b.csv'), { rows: 200, type: 'csv', badRatio: 0.1, seed: 3, now: NOW });
    await expect(fs.readFileSync(path.join(dir, 'a.csv')).equals(fs.readFileSync(path.join(dir, 'b.csv')))).toBe(true);
  });

  it('refuses a bad ratio outside [0, 1]', async () => {
    await expect(() => new DataGenerator(clientA(), 1.5, 1)).toThrow('bad ratio must be between 0 and 1, got 1.5');
    await expect(prng(1)()).toBeLessThan(1);
  });
});
