import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptStream } from '../../../ingest/src/crypto/encrypted-file';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { openStagedFile } from '../../../ingest/src/staging/open-staged-file';

const key = crypto.randomBytes(32);
const ring = new KeyRing('client_a', 'k1', new Map([['k1', key]]));
const plain = Buffer.from(`a,b\n${'1,2\n'.repeat(100_000)}`);
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function read(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
async function encryptedFile(name: string): Promise<string> {
  const file = path.join(dir, name);
  await pipeline(Readable.from([plain]), createEncryptStream(ring), fs.createWriteStream(file));
  return file;
}

describe('openStagedFile', () => {
  it('passes plaintext through unchanged, in chunks', async () => {
    const file = path.join(dir, 'p.csv');
    fs.writeFileSync(file, plain);
    await expect(read(openStagedFile(file, { highWaterMark: 1000 }))).resolves.toEqual(plain);
  });

  it('decrypts a file the API encrypted, finding the key ring by the tenant in the header', async () => {
    const file = await encryptedFile('e.csv');
    const asked: string[] = [];
    await expect(read(openStagedFile(file, { keyRing: (client) => (asked.push(client), ring) }))).resolves.toEqual(plain);
    expect(asked).toEqual(['client_a']);
  });

  it('reads keys from ENCRYPTION_KEYS_DIR by default', async () => {
    const file = await encryptedFile('e.csv');
    fs.mkdirSync(path.join(dir, 'keys', 'client_a'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'keys', 'client_a', 'k1.key'), key.toString('hex'));
    const before = process.env.ENCRYPTION_KEYS_DIR;
    process.env.ENCRYPTION_KEYS_DIR = path.join(dir, 'keys');
    try {
      await expect(read(openStagedFile(file))).resolves.toEqual(plain);
    } finally {
      if (before === undefined) delete process.env.ENCRYPTION_KEYS_DIR;
      else process.env.ENCRYPTION_KEYS_DIR = before;
    }
  });

  it('fails the stream for a tampered or truncated file and for a missing one', async () => {
    const file = await encryptedFile('t.csv');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    await expect(read(openStagedFile(file, { keyRing: () => ring }))).rejects.toThrow(`${file}: authentication failed at segment`);
    await expect(read(openStagedFile(path.join(dir, 'none.csv')))).rejects.toThrow('ENOENT');
  });
});
