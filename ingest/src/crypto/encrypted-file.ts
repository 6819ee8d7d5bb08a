import * as crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { InputError } from '../../../infra/errors';
import type { KeyRing } from './key-ring';

/**
 * Encrypted staging file format (AES-256-GCM, segmented so it can be read as a stream):
 *
 *   header  = "MSBDENC" | version u8 (=1) | segment size u32 BE | client length u8 | client
 *             | key id length u8 | key id | nonce prefix (7 bytes)
 *   body    = segment*; each = ciphertext of up to `segment size` plaintext bytes | 16-byte tag
 *
 * Segment i uses nonce = prefix | i (u32 BE) | final flag (1 on the last segment, else 0) and the
 * whole header as additional data. Every segment is authenticated before its bytes are emitted;
 * reordering, dropping, appending or truncating segments (even at a segment boundary) fails
 * authentication because the counter and final flag are bound into the nonce. A file always has
 * one final segment (possibly empty), so an empty plaintext still carries a tag. The header names
 * the tenant and key id (never key material) so a reader finds the key without being told.
 */
export const MAGIC = Buffer.from('MSBDENC', 'latin1');
export const FORMAT_VERSION = 1;
/** Plaintext bytes per segment. @default 65536 */
export const DEFAULT_SEGMENT_BYTES = 64 * 1024;
const TAG_BYTES = 16;
const PREFIX_BYTES = 7;
const MAX_SEGMENTS = 2 ** 32;

/** True when `head` (at least the first 8 bytes of a file) starts an encrypted staging file. */
export function isEncryptedHeader(head: Buffer): boolean {
  return head.length >= MAGIC.length + 1 && head.subarray(0, MAGIC.length).equals(MAGIC) && head[MAGIC.length] === FORMAT_VERSION;
}

function nonce(prefix: Buffer, index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, PREFIX_BYTES);
  n[11] = final ? 1 : 0;
  return n;
}

function headerBytes(keys: KeyRing): number {
  return MAGIC.length + 1 + 4 + 1 + Buffer.byteLength(keys.client) + 1 + Buffer.byteLength(keys.currentKeyId) + PREFIX_BYTES;
}

/** Size on disk of `plainBytes` encrypted with the ring's current key. */
export function encryptedSize(plainBytes: number, keys: KeyRing, segmentBytes = DEFAULT_SEGMENT_BYTES): number {
  return headerBytes(keys) + plainBytes + TAG_BYTES * Math.max(1, Math.ceil(plainBytes / segmentBytes));
}

/**
 * The most plaintext whose encrypted file still fits in `limitBytes` — so a size limit checked on
 * the stored file (the batch's max_file_size_mb) accepts every upload the API accepted.
 */
export function maxPlaintextFor(limitBytes: number, keys: KeyRing, segmentBytes = DEFAULT_SEGMENT_BYTES): number {
  let plain = Math.max(0, limitBytes - headerBytes(keys) - TAG_BYTES * Math.ceil(limitBytes / segmentBytes));
  while (encryptedSize(plain + 1, keys, segmentBytes) <= limitBytes) plain++;
  return encryptedSize(plain, keys, segmentBytes) <= limitBytes ? plain : -1;
}

export interface EncryptOptions {
  /** Plaintext bytes per segment. @default DEFAULT_SEGMENT_BYTES */
  readonly segmentBytes?: number;
}

/** A Transform turning plaintext into the encrypted format with the ring's current key. */
export function createEncryptStream(keys: KeyRing, options: EncryptOptions = {}): Transform {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isInteger(segmentBytes) || segmentBytes < 1 || segmentBytes > 2 ** 24) {
    throw new InputError(`segmentBytes must be an integer in 1..16777216, got ${segmentBytes}`);
  }
  const client = Buffer.from(keys.client, 'utf8');
  const keyId = Buffer.from(keys.currentKeyId, 'utf8');
  if (client.length > 255) throw new InputError(`client id of ${client.length} bytes is too long for the encrypted header`);
  const prefix = crypto.randomBytes(PREFIX_BYTES);
  const fixed = Buffer.alloc(MAGIC.length + 1 + 4);
  MAGIC.copy(fixed, 0);
  fixed[MAGIC.length] = FORMAT_VERSION;
  fixed.writeUInt32BE(segmentBytes, MAGIC.length + 1);
  const header = Buffer.concat([fixed, Buffer.from([client.length]), client, Buffer.from([keyId.length]), keyId, prefix]);
  const key = keys.key(keys.currentKeyId);

  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const seal = (plain: Buffer, final: boolean): Buffer => {
    if (index >= MAX_SEGMENTS) throw new InputError('file too large for one encrypted stream (2^32 segments)');
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce(prefix, index++, final));
    cipher.setAAD(header);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Keep at least one byte back: only flush() knows which segment is the final one.
      if (pendingBytes > segmentBytes) {
        let all = Buffer.concat(pending, pendingBytes);
        try {
          while (all.length > segmentBytes) {
            this.push(seal(all.subarray(0, segmentBytes), false));
            all = all.subarray(segmentBytes);
          }
        } catch (err) {
          callback(err as Error);
          return;
        }
        pending = [all];
        pendingBytes = all.length;
      }
      callback();
    },
    flush(callback: TransformCallback) {
      try {
        this.push(seal(Buffer.concat(pending, pendingBytes), true));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}

export interface DecryptOptions {
  /** Named in errors, e.g. the staged file's path. @default "encrypted data" */
  readonly file?: string;
  /**
   * Pass data that does not start with the encrypted header through unchanged (files a tenant
   * dropped into in/ directly). @default false
   */
  readonly allowPlaintext?: boolean;
}

/** The key ring of the tenant a header names. */
export type KeyRingResolver = (client: string) => KeyRing;

/**
 * A Transform that authenticates and decrypts the format above, emitting each segment only after
 * its tag verified; a missing final segment, any altered byte or an unknown key id is an
 * InputError naming the file (never a key).
 */
export function createDecryptStream(keyRing: KeyRingResolver, options: DecryptOptions = {}): Transform {
  const where = options.file === undefined ? 'encrypted data' : options.file;
  const context = options.file === undefined ? {} : { file: options.file };
  const fail = (what: string): InputError => new InputError(`${where}: ${what}`, { context });

  let mode: 'header' | 'body' | 'plain' = 'header';
  let header = Buffer.alloc(0);
  let key: Buffer | undefined;
  let prefix = Buffer.alloc(0);
  let segmentBytes = 0;
  let index = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const open = (segment: Buffer, final: boolean): Buffer => {
    if (segment.length < TAG_BYTES) throw fail('truncated (segment shorter than its tag)');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key as Buffer, nonce(prefix, index++, final));
    decipher.setAAD(header);
    decipher.setAuthTag(segment.subarray(segment.length - TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(segment.subarray(0, segment.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw fail(`authentication failed at segment ${index - 1} (file altered, truncated or encrypted with another key)`);
    }
  };

  /** Parses the header once enough bytes arrived: the mode to continue in, or 'header' while more are needed. */
  const parseHeader = (buf: Buffer): typeof mode => {
    const fixed = MAGIC.length + 1 + 4 + 1; // up to and including the client length
    if (buf.length < MAGIC.length + 1) return 'header';
    if (!isEncryptedHeader(buf)) {
      if (options.allowPlaintext === true) return 'plain';
      throw fail('not an encrypted staging file (bad header)');
    }
    if (buf.length < fixed) return 'header';
    const clientLength = buf[fixed - 1] as number;
    if (buf.length < fixed + clientLength + 1) return 'header';
    const idLength = buf[fixed + clientLength] as number;
    const idStart = fixed + clientLength + 1;
    const total = idStart + idLength + PREFIX_BYTES;
    if (buf.length < total) return 'header';
    segmentBytes = buf.readUInt32BE(MAGIC.length + 1);
    if (segmentBytes < 1 || segmentBytes > 2 ** 24) throw fail(`invalid segment size ${segmentBytes} in header`);
    const client = buf.subarray(fixed, fixed + clientLength).toString('utf8');
    const keys = keyRing(client);
    if (keys.client !== client) throw fail(`encrypted for ${client}, but the key ring is ${keys.client}'s`);
    key = keys.key(buf.subarray(idStart, idStart + idLength).toString('utf8'));
    prefix = Buffer.from(buf.subarray(idStart + idLength, total));
    header = Buffer.from(buf.subarray(0, total));
    return 'body';
  };

  return new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      try {
        if (mode === 'plain') {
          callback(null, chunk);
          return;
        }
        pending.push(chunk);
        pendingBytes += chunk.length;
        let all = Buffer.concat(pending, pendingBytes);
        if (mode === 'header') {
          mode = parseHeader(all);
          if (mode === 'header') {
            pending = [all];
            callback();
            return;
          }
          if (mode === 'plain') {
            pending = [];
            pendingBytes = 0;
            callback(null, all);
            return;
          }
          all = all.subarray(header.length);
        }
        // A segment is known not to be the last only when more bytes follow it.
        const full = segmentBytes + TAG_BYTES;
        while (all.length > full) {
          this.push(open(all.subarray(0, full), false));
          all = all.subarray(full);
        }
        pending = [all];
        pendingBytes = all.length;
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        const rest = Buffer.concat(pending, pendingBytes);
        if (mode === 'header') {
          if (options.allowPlaintext === true && !(rest.length >= MAGIC.length && rest.subarray(0, MAGIC.length).equals(MAGIC))) {
            callback(null, rest);
            return;
          }
          throw fail('truncated (incomplete header)');
        }
        if (mode === 'body') this.push(open(rest, true));
        callback();
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
