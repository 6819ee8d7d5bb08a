import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archive, claim, fail } from '../../../ingest/src/staging/file-moves';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { clientA } from '../helpers/datasets';
import { tempDir } from '../helpers/tenant-dirs';

describe('file moves', () => {
  const setup = () => {
    const layout = stagingLayout(tempDir('moves'), 'c', clientA());
    fs.mkdirSync(layout.inbox, { recursive: true });
    fs.writeFileSync(path.join(layout.inbox, 'a.csv'), 'data');
    return layout;
  };

  it('claims into .processing once; a second claim finds nothing', async () => {
    const layout = setup();
    await expect(await claim(layout, 'a.csv')).toBe(true);
    await expect(fs.readFileSync(path.join(layout.processing, 'a.csv'), 'utf8')).toBe('data');
    await expect(await claim(layout, 'a.csv')).toBe(false);
  });

  it('archives without overwriting an earlier file of the same name', async () => {
    const layout = setup();
    await claim(layout, 'a.csv');
    await expect(await archive(layout, 'a.csv')).toBe('a.csv');
    fs.writeFileSync(path.join(layout.inbox, 'a.csv'), 'again');
    await claim(layout, 'a.csv');
    await expect(await archive(layout, 'a.csv')).toBe('a.1.csv');
    await expect(fs.readFileSync(path.join(layout.archive, 'a.1.csv'), 'utf8')).toBe('again');
    await expect(fs.readdirSync(layout.processing)).toEqual([]);
  });

  it('moves a failed file to failed/ with its reason file', async () => {
    const layout = setup();
    await claim(layout, 'a.csv');
    await expect(await fail(layout, 'a.csv', { reason: 'bad header' })).toBe('a.csv');
    await expect(JSON.parse(fs.readFileSync(path.join(layout.failed, 'a.csv.reason.json'), 'utf8'))).toEqual({ reason: 'bad header' });
    await expect(fs.readFileSync(path.join(layout.failed, 'a.csv'), 'utf8')).toBe('data');
  });
});

describe('claim on an unwritable staging folder', () => {
  it('throws an EngineError naming the file and the folder', async () => {
    const layout = stagingLayout(tempDir('moves'), 'c', clientA());
    fs.mkdirSync(layout.inbox, { recursive: true });
    fs.writeFileSync(path.join(layout.inbox, 'a.csv'), 'x');
    fs.writeFileSync(layout.processing, 'a file where the folder should be');
    await expect(claim(layout, 'a.csv')).rejects.toThrow(`cannot claim a.csv into ${layout.processing}: EEXIST: file already exists, mkdir '${layout.processing}'`);
  });
});
