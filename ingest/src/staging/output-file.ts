import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { createEncryptStream } from '../crypto/encrypted-file';
import type { KeyRing } from '../crypto/key-ring';

export interface OutputFileOptions {
  /** First line of the file (a csv header). @default none */
  readonly header?: string;
  /** Encrypt at rest with the ring's current key (tenants whose agreement sets `encryption`). @default plaintext */
  readonly keys?: KeyRing;
}

/**
 * A text file written line by line under a temporary dot-name and renamed into place on commit,
 * so out/ and quarantine/ never show a half-written file (a crashed run leaves only the temp file,
 * overwritten by the next attempt). Opened lazily: nothing is created until the first line.
 * With `keys`, the bytes pass through the staging encryption (ingest/src/crypto) on their way to
 * disk, so `openStagedFile` reads them back like any encrypted upload.
 */
export class OutputFile {
  /** Where lines are written: the file itself, or the encryption in front of it. */
  private input: Writable | undefined;
  private file: fs.WriteStream | undefined;
  private readonly tempPath: string;
  private error: Error | undefined;
  /** Rejects with the first write error (a full disk): a wait for 'drain' or 'close' must not outlive it. */
  private failed: Promise<never> | undefined;
  lines = 0;

  constructor(readonly finalPath: string, private readonly options: OutputFileOptions = {}) {
    this.tempPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.tmp`);
  }

  /** Appends one line; returns a promise (to await) only when the disk is behind. */
  write(line: string): Promise<void> | undefined {
    if (this.input === undefined) this.open();
    if (this.error !== undefined) throw this.error;
    this.lines++;
    const input = this.input!;
    if (input.write(`${line}\n`)) return undefined;
    return Promise.race([once(input, 'drain').then(() => undefined), this.failed!]);
  }

  /** Closes and renames into place; returns false when no line was written (no file). */
  async commit(): Promise<boolean> {
    if (this.input === undefined) return false;
    await this.close();
    if (this.error !== undefined) throw this.error;
    fs.renameSync(this.tempPath, this.finalPath);
    return true;
  }

  /** Closes and removes the temporary file (also after a failed commit). */
  async abort(): Promise<void> {
    if (this.input !== undefined) await this.close();
    if (this.failed !== undefined) fs.rmSync(this.tempPath, { force: true });
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.finalPath), { recursive: true });
    const file = fs.createWriteStream(this.tempPath, { highWaterMark: 256 * 1024 });
    const input = this.options.keys === undefined ? file : createEncryptStream(this.options.keys);
    let fail: (err: Error) => void = () => undefined;
    this.failed = new Promise<never>((_resolve, reject) => { fail = reject; });
    this.failed.catch(() => undefined);
    for (const stream of new Set<Writable>([file, input])) {
      stream.on('error', (err) => {
        this.error ??= err;
        fail(err);
        // both ends, so that the file closes even when only the encryption in front of it failed
        input.destroy();
        file.destroy();
      });
    }
    if (input !== file) input.pipe(file);
    this.file = file;
    this.input = input;
    if (this.options.header !== undefined) input.write(`${this.options.header}\n`);
  }

  private async close(): Promise<void> {
    const file = this.file!;
    // a stream that failed has closed already, and 'close' is not emitted twice
    const closed = file.closed ? Promise.resolve() : new Promise<void>((resolve) => file.once('close', () => resolve()));
    if (this.error === undefined) this.input!.end();
    this.input = undefined;
    this.file = undefined;
    await closed;
  }
}
