import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, refusalReason, scanInbox } from '../../../ingest/src/staging/inbox';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { tempDir } from '../helpers/tenant-dirs';
import { clientA, sensors } from '../helpers/datasets';

function put(dir: string, name: string, bytes: number, mtimeSec: number): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), 'x'.repeat(bytes));
  fs.utimesSync(path.join(dir, name), mtimeSec, mtimeSec);
}

describe('refusalReason', () => {
  it('accepts the dataset\'s types (any case) within the size limit', async () => {
    await expect(refusalReason(clientA(), { name: 'a.CSV', bytes: 10 })).toBeUndefined();
    await expect(refusalReason(sensors(), { name: 'a.jsonl', bytes: 10 })).toBeUndefined();
  });

  it('names the extension and the accepted types', async () => {
    await expect(refusalReason(clientA(), { name: 'a.tsv', bytes: 1 })).toBe('file type not accepted: extension ".tsv"; dataset speed-tracking-data accepts .csv');
    await expect(refusalReason(sensors(), { name: 'README', bytes: 1 })).toBe('file type not accepted: no extension; dataset sensors accepts .csv, .tsv, .jsonl');
  });

  it('names the size and the limit', async () => {
    await expect(refusalReason(clientA(), { name: 'a.csv', bytes: 52_428_801 })).toBe('file too large: 52428801 bytes exceeds max_file_size_mb 50 (52428800 bytes)');
    await expect(refusalReason(clientA(), { name: 'a.csv', bytes: 52_428_800 })).toBeUndefined();
  });
});

describe('scanInbox', () => {
  it('picks acceptable files oldest first up to max files per run, refuses the rest, skips dot-files and folders', async () => {
    const root = tempDir('inbox');
    const ds = clientA({ maxFilesPerRun: 2, maxFileSizeMb: 0.001, maxFileSizeBytes: 1048 });
    const layout = stagingLayout(root, 'c', ds);
    put(layout.inbox, 'c.csv', 10, 3000);
    put(layout.inbox, 'a.csv', 10, 1000);
    put(layout.inbox, 'b.csv', 10, 2000);
    put(layout.inbox, 'big.csv', 2000, 500);
    put(layout.inbox, 'notes.txt', 5, 100);
    put(layout.inbox, '.hidden.csv', 5, 100);
    put(layout.processing, 'stale.csv', 5, 100);
    fs.mkdirSync(path.join(layout.inbox, 'sub.csv'));
    const scan = await scanInbox(layout, ds);
    await expect(scan.picked.map((f) => f.name)).toEqual(['a.csv', 'b.csv']);
    await expect(scan.deferred).toBe(1);
    await expect(scan.refused.map((r) => [r.name, r.reason])).toEqual([
      ['notes.txt', 'file type not accepted: extension ".txt"; dataset speed-tracking-data accepts .csv'],
      ['big.csv', 'file too large: 2000 bytes exceeds max_file_size_mb 0.001 (1048 bytes)'],
    ]);
  });

  it('sees an absent folder as empty', async () => {
    await expect(await listFiles(path.join(tempDir('inbox'), 'nope'))).toEqual([]);
  });
});
