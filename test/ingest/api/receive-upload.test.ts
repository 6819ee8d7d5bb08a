import nodeFs, * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { receiveUpload, type ReceiveUploadOptions } from '../../../ingest/src/api/receive-upload';
import { HttpError } from '../../../ingest/src/http/http-error';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';

let root: string;
let options: ReceiveUploadOptions;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'receive-upload-'));
  options = { layout: stagingLayout(root, 'client_a', {}), name: 'day-1.csv', fileType: 'csv', maxBytes: 100 };
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file (not folder) under the staging root, relative. */
function stagedFiles(): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

describe('receiveUpload', () => {
  it('moves the upload into in/ and leaves nothing in in/.upload/', async () => {
    await expect(receiveUpload(Readable.from([Buffer.from('a,b\n1,2\n')]), options)).resolves.toMatchObject({ path: path.join(root, 'client_a', 'in', 'day-1.csv'), bytes: 8, encrypted: false });
    await expect(stagedFiles()).toEqual([path.join('client_a', 'in', 'day-1.csv')]);
  });

  it('gives uploads strictly increasing modification times (their rows\' write order), even within one clock tick', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `day-${i}.csv`);
    for (const name of names) await receiveUpload(Readable.from([Buffer.from('a\n')]), { ...options, name });
    const times = names.map((name) => fs.statSync(path.join(root, 'client_a', 'in', name), { bigint: true }).mtimeNs);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
  });

  // Found by fuzzing: refused at the first chunk while the file system was still opening the
  // temporary file, an upload left an empty in/.upload/<uuid>.part, created after the cleanup ran.
  // A slow open (as on a busy volume) makes that order certain.
  it.each([
    ['binary content in the first chunk', Buffer.from([0x61, 0x00]), { statusCode: 415, code: 'unsupported_content', message: 'day-1.csv is not a csv file: binary content (NUL byte) at byte 2' }],
    ['a first chunk over the limit', Buffer.alloc(101, 0x61), { statusCode: 413, code: 'file_too_large', message: "day-1.csv exceeds the dataset's max_file_size_mb (100 bytes)" }],
  ])('leaves nothing behind when refused on %s, however slow the file system opens files', async (_what, chunk, refusal) => {
    const open = nodeFs.open;
    const slowOpen = vi.spyOn(nodeFs, 'open').mockImplementation(((...args: Parameters<typeof open>) => void setTimeout(() => open(...args), 100)) as typeof open);
    try {
      await expect(receiveUpload(Readable.from([chunk]), options)).rejects.toThrow(HttpError);
      await expect(receiveUpload(Readable.from([chunk]), options)).rejects.toMatchObject(refusal);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      slowOpen.mockRestore();
    }
    await expect(stagedFiles()).toEqual([]);
  });
});
