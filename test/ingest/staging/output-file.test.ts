import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFile } from '../../../ingest/src/staging/output-file';
import { tempDir } from '../helpers/tenant-dirs';

describe('OutputFile', () => {
  it('writes under a temporary dot-name and appears only on commit, header first', async () => {
    const dir = path.join(tempDir('out'), 'out');
    const f = new OutputFile(path.join(dir, 'a.csv'), 'h1,h2');
    await f.write('1,2');
    await f.write('3,4');
    await expect(fs.existsSync(path.join(dir, 'a.csv'))).toBe(false);
    await expect(await f.commit()).toBe(true);
    await expect(fs.readdirSync(dir)).toEqual(['a.csv']);
    await expect(fs.readFileSync(path.join(dir, 'a.csv'), 'utf8')).toBe('h1,h2\n1,2\n3,4\n');
    await expect(f.lines).toBe(2);
  });

  it('creates nothing without a line, and abort removes the temporary file', async () => {
    const dir = tempDir('out');
    await expect(await new OutputFile(path.join(dir, 'none.jsonl')).commit()).toBe(false);
    const f = new OutputFile(path.join(dir, 'b.jsonl'));
    await f.write('{}');
    await f.abort();
    await expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('replaces the file of an earlier run on commit', async () => {
    const dir = tempDir('out');
    fs.writeFileSync(path.join(dir, 'c.csv'), 'old\n');
    const f = new OutputFile(path.join(dir, 'c.csv'));
    await f.write('new');
    await f.commit();
    await expect(fs.readFileSync(path.join(dir, 'c.csv'), 'utf8')).toBe('new\n');
  });
});
