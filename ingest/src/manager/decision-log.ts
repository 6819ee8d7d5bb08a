import * as fs from 'node:fs';
import type { DecisionRecord } from './decision';

/** Every decision, in memory (newest last, bounded) and appended as one JSON line to a file. */
export class DecisionLog {
  readonly #recent: DecisionRecord[] = [];

  constructor(
    /** JSON lines file. @default none (memory only) */
    private readonly file?: string,
    /** Decisions kept in memory. @default 1000 */
    private readonly keep = 1000,
  ) {}

  async append(record: DecisionRecord): Promise<void> {
    this.#recent.push(record);
    if (this.#recent.length > this.keep) this.#recent.splice(0, this.#recent.length - this.keep);
    if (this.file !== undefined) await fs.promises.appendFile(this.file, `${JSON.stringify(record)}\n`);
  }

  /** Newest first, optionally for one tenant. */
  recent(tenant?: string): DecisionRecord[] {
    return this.#recent.filter((d) => tenant === undefined || d.tenant === tenant).reverse();
  }
}

/** Bytes read from the end of a decision log file for its newest decisions. */
const TAIL_BYTES = 256 * 1024;

/**
 * The newest `limit` decisions of a decision log file (another process's `DecisionLog`), newest
 * first, reading only its end; none while the file does not exist. A line being appended is skipped.
 */
export async function readRecentDecisions(file: string, limit: number): Promise<DecisionRecord[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buffer = Buffer.alloc(size - start);
    await handle.read(buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // begins mid-line
    const records: DecisionRecord[] = [];
    for (const line of lines.reverse()) {
      if (records.length === limit) break;
      try {
        if (line !== '') records.push(JSON.parse(line) as DecisionRecord);
      } catch {
        // the line still being written
      }
    }
    return records;
  } finally {
    await handle.close();
  }
}
