import type { StreamReport } from '../monitor/stream-report';

/** What one unit of work (a file, or a batch of raw-topic messages) did. */
export interface WorkDone {
  readonly messages: number;
  readonly rows: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly errors: number;
}

/** Accumulates work between two monitor reports; `take` returns the report and starts a new window. */
export class StreamStats {
  #since: number;
  #messages = 0;
  #rows = 0;
  #bytes = 0;
  #errors = 0;
  #durations: number[] = [];

  constructor(
    private readonly identity: Pick<StreamReport, 'tenant' | 'dataset' | 'instance'>,
    private readonly now: () => number = Date.now,
  ) {
    this.#since = now();
  }

  add(work: WorkDone): void {
    this.#messages += work.messages;
    this.#rows += work.rows;
    this.#bytes += work.bytes;
    this.#errors += work.errors;
    this.#durations.push(work.durationMs);
  }

  take(): StreamReport {
    const end = this.now();
    const sorted = [...this.#durations].sort((a, b) => a - b);
    const avg = sorted.length === 0 ? 0 : sorted.reduce((s, d) => s + d, 0) / sorted.length;
    const p95 = sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number);
    const report: StreamReport = {
      ...this.identity,
      timestamp: new Date(end).toISOString(),
      window_seconds: Math.max(0.001, (end - this.#since) / 1000),
      messages: this.#messages,
      rows: this.#rows,
      bytes: this.#bytes,
      avg_ingestion_ms: Math.round(avg * 100) / 100,
      p95_ingestion_ms: p95,
      errors: this.#errors,
    };
    this.#since = end;
    this.#messages = this.#rows = this.#bytes = this.#errors = 0;
    this.#durations = [];
    return report;
  }
}
