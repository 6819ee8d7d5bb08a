import * as fs from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { createDecryptStream, type KeyRingResolver } from '../crypto/encrypted-file';
import { keyRingFromEnvironment } from '../crypto/key-ring';

export interface OpenStagedFileOptions {
  /** Bytes per read. @default 262144 */
  readonly highWaterMark?: number;
  /**
   * Key ring of the tenant an encrypted file's header names.
   * @default the key files under ENCRYPTION_KEYS_DIR (default /etc/mysimbdp/keys), read when needed
   */
  readonly keyRing?: KeyRingResolver;
  /** Bytes of the file read so far, per chunk (progress). @default none */
  readonly onRead?: (bytes: number) => void;
}

/**
 * Every staged file is read through here (never whole: a stream of chunks), so readers need not
 * know how a file is stored: files the upload API encrypted (ingest/src/crypto) are recognised by
 * their header and decrypted while streaming, each segment authenticated before it is emitted;
 * plaintext passes through unchanged.
 */
export function openStagedFile(filePath: string, options: OpenStagedFileOptions = {}): Readable {
  const keyRing = options.keyRing ?? keyRingFromEnvironment;
  const file = fs.createReadStream(filePath, { highWaterMark: options.highWaterMark ?? 262_144 });
  const stream = pipeline(
    file,
    createDecryptStream(keyRing, { file: filePath, allowPlaintext: true }),
    () => undefined, // errors reach the returned stream, which pipeline destroys with them
  );
  // a second 'data' listener beside pipe's: it sees the chunks, flow control stays pipe's
  const { onRead } = options;
  if (onRead !== undefined) file.on('data', (chunk) => onRead(chunk.length));
  return stream;
}
