import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileType } from '../../../infra/tenant/types';
import { createEncryptStream } from '../crypto/encrypted-file';
import type { KeyRing } from '../crypto/key-ring';
import { HttpError } from '../http/http-error';
import type { StagingLayout } from '../staging/staging-layout';

export interface ReceiveUploadOptions {
  readonly layout: StagingLayout;
  /** Checked plain file name (see checkUploadName). */
  readonly name: string;
  readonly fileType: FileType;
  /** Plaintext bytes allowed; one more is a 413. */
  readonly maxBytes: number;
  /** Store encrypted with the ring's current key. @default plaintext */
  readonly keys?: KeyRing;
}

export interface ReceivedUpload {
  /** Final path inside in/. */
  readonly path: string;
  /** Plaintext bytes received. */
  readonly bytes: number;
  /** SHA-256 hex of the plaintext. */
  readonly sha256: string;
  readonly encrypted: boolean;
}

/**
 * Counts, hashes and sniffs the plaintext as it passes: more than `maxBytes` is a 413 and binary
 * content (a NUL byte) or a jsonl file not starting with `{` a 415 — raised mid-stream, so
 * the write stops at once instead of after the whole body arrived.
 */
function guard(options: ReceiveUploadOptions, hash: crypto.Hash, counted: { bytes: number }): Transform {
  let sawContent = false;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      counted.bytes += chunk.length;
      if (counted.bytes > options.maxBytes) {
        callback(new HttpError(413, 'file_too_large', `${options.name} exceeds the dataset's max_file_size_mb (${options.maxBytes} bytes)`, { filename: options.name, max_bytes: options.maxBytes }));
        return;
      }
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        callback(new HttpError(415, 'unsupported_content', `${options.name} is not a ${options.fileType} file: binary content (NUL byte) at byte ${counted.bytes - chunk.length + nul + 1}`, { filename: options.name }));
        return;
      }
      if (options.fileType === 'jsonl' && !sawContent) {
        const first = chunk.toString('latin1').trimStart();
        if (first !== '') {
          sawContent = true;
          if (!first.startsWith('{')) {
            callback(new HttpError(415, 'unsupported_content', `${options.name} is not a jsonl file: the first line must be a JSON object`, { filename: options.name }));
            return;
          }
        }
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

let lastStagedMs = 0;

/**
 * A staged file's modification time is its rows' write order in Cassandra (kafka/write-order.ts):
 * strictly increasing per API process, so that two uploads of one key never tie — file systems
 * give files written in the same clock tick the same mtime.
 */
function nextStagedTime(): Date {
  lastStagedMs = Math.max(Date.now(), lastStagedMs + 1);
  return new Date(lastStagedMs);
}

/** A full disk or an exhausted quota: the client may retry later (507), unlike a refusal of the file itself. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Streams an upload into in/.upload/ under a random name, then moves it into in/ atomically with
 * a hard link that fails on an existing name (never overwrites) — 409 when a file of that name is
 * waiting or processing. Any failure removes the partial file: a refused upload leaves nothing.
 */
export async function receiveUpload(source: Readable, options: ReceiveUploadOptions): Promise<ReceivedUpload> {
  const { layout, name } = options;
  const target = path.join(layout.inbox, name);
  const conflict = (): HttpError =>
    new HttpError(409, 'file_exists', `a file named ${name} is already waiting or processing; upload under another name or after it is handled`, { filename: name });
  if (fs.existsSync(target) || fs.existsSync(path.join(layout.processing, name))) {
    source.resume();
    throw conflict();
  }
  const temp = path.join(layout.upload, `${crypto.randomUUID()}.part`);
  const hash = crypto.createHash('sha256');
  const counted = { bytes: 0 };
  const steps: NodeJS.ReadWriteStream[] = [guard(options, hash, counted)];
  if (options.keys !== undefined) steps.push(createEncryptStream(options.keys));
  // Opened before the first byte flows: a write stream opening by itself could finish after a
  // refusal at the first chunk had already run the cleanup below, leaving an empty .part file.
  let file: fs.promises.FileHandle | undefined;
  try {
    await fs.promises.mkdir(layout.upload, { recursive: true });
    file = await fs.promises.open(temp, 'wx', 0o640);
    await pipeline(source, ...(steps as [Transform]), file.createWriteStream());
    // before the file shows in in/, where a stream may take it at once
    const at = nextStagedTime();
    await fs.promises.utimes(temp, at, at);
    try {
      await fs.promises.link(temp, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw conflict();
      throw err;
    }
  } catch (err) {
    if (FULL.has(String((err as NodeJS.ErrnoException).code))) {
      source.resume();
      throw new HttpError(507, 'insufficient_storage', `the staging area is full: nothing of ${name} was kept; retry later`, { filename: name });
    }
    throw err;
  } finally {
    await file?.close();
    await fs.promises.rm(temp, { force: true });
  }
  return { path: target, bytes: counted.bytes, sha256: hash.digest('hex'), encrypted: options.keys !== undefined };
}
