import { createLogger, type Logger } from './log';

/** Where a report goes: stderr by default; a TTY gets a bar redrawn in place instead of log lines. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Shown first on the bar (e.g. the file name). */
  readonly label: string;
  /** Added to every log line (e.g. `{ file }`). @default none */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Size of the whole task, for a percentage (bytes win over rows). @default unknown */
  readonly totalBytes?: number;
  /** @default unknown */
  readonly totalRows?: number;
  /** Between two log lines. @default PROGRESS_INTERVAL_MS */
  readonly intervalMs?: number;
  /** Between two redraws of the bar. @default 250 */
  readonly ttyIntervalMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default process.stderr */
  readonly output?: ProgressOutput;
  /** Gets the `progress` lines when the output is no TTY. @default a logger without fields */
  readonly logger?: Logger;
}

/** Between two progress reports of a long task that is not a terminal bar. */
export const PROGRESS_INTERVAL_MS = 5000;

/** True at most once per `intervalMs` (the first time after one interval): for a report in a loop. */
export function every(intervalMs: number, now: () => number = Date.now): () => boolean {
  let next = now() + intervalMs;
  return () => {
    const t = now();
    if (t < next) return false;
    next = t + intervalMs;
    return true;
  };
}

const BAR = 20;
const mb = (bytes: number): number => Math.round(bytes / 100_000) / 10;
const num = (n: number): string => n.toLocaleString('en-US');

/**
 * Rows and bytes of one long task (a file read, a file written), reported every few seconds on
 * stderr: a `progress` log line with rows, MB, rows/s and MB/s, or, when stderr is a terminal, a
 * single-line bar redrawn in place. Callers `add` per chunk or batch, never per row; the clock is
 * read once per `add`.
 */
export class Progress {
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  readonly #output: ProgressOutput;
  readonly #tty: boolean;
  readonly #due: () => boolean;
  #started: number;
  #pass = 0;
  #rows = 0;
  #bytes = 0;
  #drawn = false;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#output = options.output ?? process.stderr;
    this.#tty = this.#output.isTTY === true;
    this.#due = every(this.#tty ? options.ttyIntervalMs ?? 250 : options.intervalMs ?? PROGRESS_INTERVAL_MS, this.#now);
    this.#started = this.#now();
  }

  get rows(): number {
    return this.#rows;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Another pass over the same input (a file read twice): counts and rates start again from zero. */
  restart(): void {
    this.#pass++;
    this.#rows = 0;
    this.#bytes = 0;
    this.#started = this.#now();
  }

  /** Counts rows and bytes done since the last call; reports when an interval has passed. */
  add(rows: number, bytes = 0): void {
    this.#rows += rows;
    this.#bytes += bytes;
    if (this.#due()) this.#report();
  }

  /** The task ended: clears the bar (the caller's own summary line follows). */
  done(): void {
    if (this.#drawn) this.#output.write('\r\x1b[K');
    this.#drawn = false;
  }

  #report(): void {
    const seconds = Math.max(0.001, (this.#now() - this.#started) / 1000);
    const { totalBytes, totalRows } = this.#options;
    const fraction = totalBytes !== undefined && totalBytes > 0 ? this.#bytes / totalBytes : totalRows !== undefined && totalRows > 0 ? this.#rows / totalRows : undefined;
    const percent = fraction === undefined ? undefined : Math.min(100, Math.floor(fraction * 100));
    const rowsPerSecond = Math.round(this.#rows / seconds);
    const mbPerSecond = mb(this.#bytes / seconds);
    if (this.#tty) {
      const filled = Math.round(((percent ?? 0) / 100) * BAR);
      const bar = percent === undefined ? '' : ` [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${String(percent).padStart(3)}%`;
      const volume = this.#bytes > 0 ? `  ${mb(this.#bytes)} MB  ${mbPerSecond} MB/s` : '';
      const pass = this.#pass === 0 ? '' : ` (pass ${this.#pass})`;
      this.#output.write(`\r${this.#options.label}${pass}${bar}  ${num(this.#rows)} rows  ${num(rowsPerSecond)} rows/s${volume}\x1b[K`);
      this.#drawn = true;
      return;
    }
    (this.#options.logger ?? createLogger()).info('progress', {
      ...this.#options.fields,
      ...(this.#pass === 0 ? {} : { pass: this.#pass }),
      rows: this.#rows,
      ...(this.#bytes > 0 ? { mb: mb(this.#bytes), mb_per_s: mbPerSecond } : {}),
      rows_per_s: rowsPerSecond,
      ...(percent === undefined ? {} : { percent }),
      elapsed_ms: Math.round(seconds * 1000),
    });
  }
}
