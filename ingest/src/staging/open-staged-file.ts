import * as fs from 'node:fs';
import type { Readable } from 'node:stream';

export interface OpenStagedFileOptions {
  /** Bytes per read. @default 262144 */
  readonly highWaterMark?: number;
}

/**
 * Every staged file is read through here (never whole: a stream of chunks), so readers need not
 * know how a file is stored (transparent decryption hooks in here).
 */
export function openStagedFile(filePath: string, options: OpenStagedFileOptions = {}): Readable {
  return fs.createReadStream(filePath, { highWaterMark: options.highWaterMark ?? 262_144 });
}
