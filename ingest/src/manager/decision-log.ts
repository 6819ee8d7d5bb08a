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
