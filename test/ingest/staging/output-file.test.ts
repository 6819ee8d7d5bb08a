import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { isEncryptedHeader } from '../../../ingest/src/crypto/encrypted-file';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { openStagedFile } from '../../../ingest/src/staging/open-staged-file';
import { OutputFile } from '../../../ingest/src/staging/output-file';
import { tempDir } from '../helpers/tenant-dirs';

describe('OutputFile', () => {
  it('writes under a temporary dot-name and appears only on commit, header first', async () => {
    const dir = path.join(tempDir('out'), 'out');
    const f = new OutputFile(path.join(dir, 'a.csv'), { header: 'h1,h2' });
    await f.write('1,2');
    await f.write('3,4');
    await expect(fs.existsSync(path.join(dir, 'a.csv'))).toBe(false);
    await expect(await f.commit()).toBe(true);
    await expect(fs.readdirSync(dir)).toEqual(['a.csv']);
    await expect(fs.readFileSync(path.join(dir, 'a.csv'), 'utf8')).toBe('h1,h2\n1,2\n3,4\n');
    await expect(f.lines).toBe(2);
  });

  it.each([['plaintext', undefined], ['encrypted', new KeyRing('client_a', 'k1', new Map([['k1', crypto.randomBytes(32)]]))]] as const)(
    'a full disk (%s) fails the writes and the commit, and abort returns: nothing hangs, nothing is left',
    async (_label, keys) => {
      const dir = tempDir('out-full');
      // the temporary file is /dev/full, which answers every write with ENOSPC
      fs.symlinkSync('/dev/full', path.join(dir, '.full.csv.tmp'));
      const f = new OutputFile(path.join(dir, 'full.csv'), { header: 'h', ...(keys === undefined ? {} : { keys }) });
      const line = 'x'.repeat(1000);
      let failure: unknown;
      try {
        for (let i = 0; i < 2000; i++) await f.write(line);
      } catch (err) {
        failure = err;
      }
      expect((failure as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
      await expect(f.commit()).rejects.toMatchObject({ code: 'ENOSPC' });
      await f.abort();
      expect(fs.readdirSync(dir)).toEqual([]);
    },
  );

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

  it('encrypts at rest with the key ring, and openStagedFile reads it back', async () => {
    const dir = tempDir('out');
    const keys = new KeyRing('client_a', 'k2', new Map([['k2', crypto.randomBytes(32)]]));
    const f = new OutputFile(path.join(dir, 'e.csv'), { header: 'h1,h2', keys });
    // more than one 64 KiB segment, written in many small lines
    const lines = Array.from({ length: 20_000 }, (_, i) => `secret-${i},${i}`);
    for (const line of lines) {
      const behind = f.write(line);
      if (behind !== undefined) await behind;
    }
    await expect(f.commit()).resolves.toBe(true);
    const stored = fs.readFileSync(path.join(dir, 'e.csv'));
    await expect(isEncryptedHeader(stored)).toBe(true);
    await expect(stored.includes('secret-1')).toBe(false);
    await expect(text(openStagedFile(path.join(dir, 'e.csv'), { keyRing: () => keys }))).resolves.toBe(`h1,h2\n${lines.join('\n')}\n`);
    await expect(fs.readdirSync(dir)).toEqual(['e.csv']);
  });

  it('abort of an encrypted file removes its temporary file', async () => {
    const dir = tempDir('out');
    const f = new OutputFile(path.join(dir, 'x.jsonl'), { keys: new KeyRing('client_a', 'k1', new Map([['k1', crypto.randomBytes(32)]])) });
    await f.write('{}');
    await f.abort();
    await expect(fs.readdirSync(dir)).toEqual([]);
  });
});
