import * as crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDecryptStream, createEncryptStream, encryptedSize, isEncryptedHeader, maxPlaintextFor } from '../../../ingest/src/crypto/encrypted-file';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { InputError } from '../../../infra/errors';

const k1 = crypto.randomBytes(32);
const k2 = crypto.randomBytes(32);
const ringK1 = new KeyRing('client_a', 'k1', new Map([['k1', k1]]));
const ringK2 = new KeyRing('client_a', 'k2', new Map([['k1', k1], ['k2', k2]]));

async function collect(source: Readable | Buffer[], ...transforms: NodeJS.ReadWriteStream[]): Promise<Buffer> {
  const out: Buffer[] = [];
  const src = Array.isArray(source) ? Readable.from(source) : source;
  let stream: NodeJS.ReadableStream = src;
  for (const t of transforms) stream = stream.pipe(t);
  for await (const chunk of stream) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

/** Splits a buffer into uneven chunks, as a socket or file stream would deliver it. */
function chunks(buf: Buffer, size = 1000): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return parts;
}

const encrypt = (plain: Buffer, ring = ringK1, segmentBytes = 256): Promise<Buffer> => collect(chunks(plain, 97), createEncryptStream(ring, { segmentBytes }));
const decrypt = (cipher: Buffer, ring = ringK1, file = 'in/data.csv'): Promise<Buffer> => collect(chunks(cipher, 113), createDecryptStream(() => ring, { file }));

describe('encrypted staging files', () => {
  it.each([0, 1, 255, 256, 257, 512, 10_000])('round-trips %i bytes across segment boundaries', async (n) => {
    const plain = crypto.randomBytes(n);
    const cipher = await encrypt(plain);
    expect(isEncryptedHeader(cipher)).toBe(true);
    expect(cipher.length).toBe(encryptedSize(n, ringK1, 256));
    expect(cipher.includes(plain.subarray(0, 64)) && n >= 64).toBe(false);
    await expect(decrypt(cipher)).resolves.toEqual(plain);
  });

  it('round-trips with the default 64 KiB segments', async () => {
    const plain = crypto.randomBytes(200_000);
    const cipher = await collect(chunks(plain, 7_000), createEncryptStream(ringK1));
    await expect(collect(chunks(cipher, 50_000), createDecryptStream(() => ringK1))).resolves.toEqual(plain);
  });

  it('names the tenant in the header and refuses a ring of another tenant', async () => {
    const cipher = await encrypt(Buffer.from('x'));
    expect(cipher.includes(Buffer.from('client_a'))).toBe(true);
    const other = new KeyRing('client_b', 'k1', new Map([['k1', k1]]));
    await expect(collect([cipher], createDecryptStream(() => other, { file: 'f.csv' }))).rejects.toThrow("f.csv: encrypted for client_a, but the key ring is client_b's");
  });

  it('uses a fresh nonce prefix per file', async () => {
    const plain = Buffer.from('same,content\n');
    expect((await encrypt(plain)).equals(await encrypt(plain))).toBe(false);
  });

  it('refuses a flipped ciphertext byte without emitting that segment', async () => {
    const plain = crypto.randomBytes(1000);
    const cipher = await encrypt(plain);
    const tampered = Buffer.from(cipher);
    tampered[tampered.length - 300] ^= 1;
    await expect(decrypt(tampered)).rejects.toThrow('in/data.csv: authentication failed at segment 2 (file altered, truncated or encrypted with another key)');
  });

  it('refuses an altered header (key id and prefix are authenticated)', async () => {
    const cipher = await encrypt(Buffer.from('a,b\n1,2\n'));
    const tampered = Buffer.from(cipher);
    tampered[cipher.indexOf(Buffer.from('k1')) + 2] ^= 1; // first byte of the nonce prefix
    await expect(decrypt(tampered)).rejects.toThrow('in/data.csv: authentication failed at segment 0');
  });

  it.each([
    ['inside the last segment', (c: Buffer) => c.subarray(0, c.length - 5)],
    ['at a segment boundary', (c: Buffer) => c.subarray(0, c.length - (1000 - 3 * 256) - 16)],
    ['inside the header', (c: Buffer) => c.subarray(0, 10)],
  ])('detects truncation %s', async (_where, cut) => {
    const cipher = await encrypt(crypto.randomBytes(1000));
    await expect(decrypt(cut(cipher))).rejects.toThrow(/^in\/data\.csv: (authentication failed|truncated)/);
  });

  it('detects appended segments', async () => {
    const cipher = await encrypt(crypto.randomBytes(300));
    await expect(decrypt(Buffer.concat([cipher, cipher.subarray(cipher.length - 60)]))).rejects.toThrow('authentication failed');
  });

  it('names an unknown key id and never the key', async () => {
    const cipher = await encrypt(Buffer.from('x'), ringK2);
    const err = await decrypt(cipher, ringK1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe('key id "k2" is unknown for client_a (known: k1)');
    const seen = `${(err as Error).message} ${JSON.stringify(err)} ${String((err as Error).stack)}`;
    for (const key of [k1, k2]) {
      expect(seen).not.toContain(key.toString('hex'));
      expect(seen).not.toContain(key.toString('base64'));
    }
  });

  it('refuses a file encrypted under the same key id with another key', async () => {
    const other = new KeyRing('client_a', 'k1', new Map([['k1', crypto.randomBytes(32)]]));
    const cipher = await encrypt(Buffer.from('x'), other);
    await expect(decrypt(cipher)).rejects.toThrow('in/data.csv: authentication failed at segment 0');
  });

  it('decrypts files of the old key after rotation and encrypts with the new one', async () => {
    const old = await encrypt(Buffer.from('old'), ringK1);
    const fresh = await encrypt(Buffer.from('new'), ringK2);
    await expect(decrypt(old, ringK2)).resolves.toEqual(Buffer.from('old'));
    await expect(decrypt(fresh, ringK2)).resolves.toEqual(Buffer.from('new'));
    expect(fresh.includes(Buffer.from('k2'))).toBe(true);
  });

  it('refuses plaintext unless allowed, and passes it through when allowed', async () => {
    const plain = Buffer.from('PROVINCECODE,DEVICEID\nP1,D1\n');
    await expect(decrypt(plain)).rejects.toThrow('in/data.csv: not an encrypted staging file (bad header)');
    await expect(collect(chunks(plain, 3), createDecryptStream(() => ringK1, { allowPlaintext: true }))).resolves.toEqual(plain);
    await expect(collect([Buffer.from('ab')], createDecryptStream(() => ringK1, { allowPlaintext: true }))).resolves.toEqual(Buffer.from('ab'));
  });

  it('finds the most plaintext whose encrypted file fits a size limit', () => {
    for (const limit of [47, 48, 1000, 65_536 + 47, 65_536 + 48, 52_428_800]) {
      const fits = maxPlaintextFor(limit, ringK1);
      expect(encryptedSize(fits, ringK1)).toBeLessThanOrEqual(limit);
      expect(encryptedSize(fits + 1, ringK1)).toBeGreaterThan(limit);
    }
    expect(maxPlaintextFor(46, ringK1)).toBe(-1); // not even an empty file fits
  });

  it('validates the segment size', () => {
    expect(() => createEncryptStream(ringK1, { segmentBytes: 0 })).toThrow('segmentBytes must be an integer in 1..16777216, got 0');
  });
});
