import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';

/**
 * A text file written line by line under a temporary dot-name and renamed into place on commit,
 * so out/ and quarantine/ never show a half-written file (a crashed run leaves only the temp file,
 * overwritten by the next attempt). Opened lazily: nothing is created until the first line.
 */
export class OutputFile {
  private stream: fs.WriteStream | undefined;
  private readonly tempPath: string;
  private error: Error | undefined;
  lines = 0;

  constructor(readonly finalPath: string, private readonly header?: string) {
    this.tempPath = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.tmp`);
  }

  /** Appends one line; returns a promise (to await) only when the disk is behind. */
  write(line: string): Promise<void> | undefined {
    if (this.stream === undefined) {
      fs.mkdirSync(path.dirname(this.finalPath), { recursive: true });
      this.stream = fs.createWriteStream(this.tempPath, { highWaterMark: 256 * 1024 });
      this.stream.on('error', (err) => { this.error ??= err; });
      if (this.header !== undefined) this.stream.write(`${this.header}\n`);
    }
    if (this.error !== undefined) throw this.error;
    this.lines++;
    if (this.stream.write(`${line}\n`)) return undefined;
    return once(this.stream, 'drain').then(() => undefined);
  }

  /** Closes and renames into place; returns false when no line was written (no file). */
  async commit(): Promise<boolean> {
    if (this.stream === undefined) return false;
    await this.close();
    if (this.error !== undefined) throw this.error;
    fs.renameSync(this.tempPath, this.finalPath);
    return true;
  }

  /** Closes and removes the temporary file. */
  async abort(): Promise<void> {
    if (this.stream === undefined) return;
    await this.close();
    fs.rmSync(this.tempPath, { force: true });
  }

  private async close(): Promise<void> {
    const stream = this.stream!;
    this.stream = undefined;
    stream.end();
    await once(stream, 'close');
  }
}
