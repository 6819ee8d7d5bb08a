import type { FileLogEntry, FileOutcome } from '../cassandra/ingestion-log';

/** Figures of one tenant, or of the whole platform (`client` = `*`). JSON keys are the CLI's contract. */
export interface IngestionFigures {
  readonly client: string;
  /** Files handled, every outcome. */
  readonly files: number;
  /** Files that failed or were refused (over a limit, wrong type). */
  readonly files_failed: number;
  readonly files_by_outcome: Readonly<Record<FileOutcome, number>>;
  readonly rows_ok: number;
  readonly rows_rejected: number;
  readonly rows_deduplicated: number;
  readonly bytes: number;
  /** rows_ok over the time spent on archived and failed files. */
  readonly rows_per_second: number;
  /** Nearest-rank percentiles of the duration of archived and failed files; null without any. */
  readonly p50_file_ms: number | null;
  readonly p95_file_ms: number | null;
  /** Rows failing each quality rule or rejection reason, summed. */
  readonly quality: Readonly<Record<string, number>>;
  readonly first_started_at: string | null;
  readonly last_finished_at: string | null;
}

export interface StatsReport extends IngestionFigures {
  readonly scope: 'platform' | 'tenant';
  /** Per tenant, by client id. */
  readonly tenants: readonly IngestionFigures[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

class Accumulator {
  files = 0;
  outcomes: Record<FileOutcome, number> = { archived: 0, failed: 0, refused: 0, skipped: 0 };
  rowsOk = 0;
  rowsRejected = 0;
  rowsDeduplicated = 0;
  bytes = 0;
  workMs = 0;
  durations: number[] = [];
  quality: Record<string, number> = {};
  first: Date | undefined;
  last: Date | undefined;

  add(e: FileLogEntry): void {
    this.files++;
    this.outcomes[e.outcome] = (this.outcomes[e.outcome] ?? 0) + 1;
    this.rowsOk += e.rowsOk;
    this.rowsRejected += e.rowsRejected;
    this.rowsDeduplicated += e.rowsDeduplicated;
    this.bytes += e.bytes;
    // Skipped and refused files are decided before any row is read: their ~0 ms would skew the figures.
    if (e.outcome === 'archived' || e.outcome === 'failed') {
      this.workMs += e.durationMs;
      this.durations.push(e.durationMs);
    }
    for (const [rule, n] of Object.entries(e.quality)) this.quality[rule] = (this.quality[rule] ?? 0) + n;
    if (this.first === undefined || e.startedAt < this.first) this.first = e.startedAt;
    if (this.last === undefined || e.finishedAt > this.last) this.last = e.finishedAt;
  }

  figures(client: string): IngestionFigures {
    const sorted = [...this.durations].sort((a, b) => a - b);
    return {
      client,
      files: this.files,
      files_failed: this.outcomes.failed + this.outcomes.refused,
      files_by_outcome: { ...this.outcomes },
      rows_ok: this.rowsOk,
      rows_rejected: this.rowsRejected,
      rows_deduplicated: this.rowsDeduplicated,
      bytes: this.bytes,
      rows_per_second: this.workMs > 0 ? Math.round((this.rowsOk / this.workMs) * 1000 * 10) / 10 : 0,
      p50_file_ms: percentile(sorted, 50),
      p95_file_ms: percentile(sorted, 95),
      quality: Object.fromEntries(Object.entries(this.quality).sort(([a], [b]) => a.localeCompare(b))),
      first_started_at: this.first?.toISOString() ?? null,
      last_finished_at: this.last?.toISOString() ?? null,
    };
  }
}

/**
 * Folds ingestion-log entries into per-tenant and overall figures in one pass (memory: one
 * duration per file, for the percentiles). With `client`, the overall figures are that tenant's.
 */
export async function aggregateStats(entries: AsyncIterable<FileLogEntry> | Iterable<FileLogEntry>, client?: string): Promise<StatsReport> {
  const all = new Accumulator();
  const perTenant = new Map<string, Accumulator>();
  for await (const e of entries) {
    if (client !== undefined && e.client !== client) continue;
    all.add(e);
    let acc = perTenant.get(e.client);
    if (acc === undefined) {
      acc = new Accumulator();
      perTenant.set(e.client, acc);
    }
    acc.add(e);
  }
  const tenants = [...perTenant.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, acc]) => acc.figures(c));
  return { scope: client === undefined ? 'platform' : 'tenant', ...all.figures(client ?? '*'), tenants };
}

const COLUMNS: readonly [string, (f: IngestionFigures) => string][] = [
  ['client', (f) => f.client],
  ['files', (f) => String(f.files)],
  ['failed', (f) => String(f.files_failed)],
  ['rows_ok', (f) => String(f.rows_ok)],
  ['rejected', (f) => String(f.rows_rejected)],
  ['dedup', (f) => String(f.rows_deduplicated)],
  ['bytes', (f) => String(f.bytes)],
  ['rows/s', (f) => f.rows_per_second.toFixed(1)],
  ['p50_ms', (f) => (f.p50_file_ms === null ? '-' : String(f.p50_file_ms))],
  ['p95_ms', (f) => (f.p95_file_ms === null ? '-' : String(f.p95_file_ms))],
];

/** An aligned table: one line per tenant, then the platform total (when not filtered to one tenant). */
export function formatStatsTable(report: StatsReport): string {
  // A tenant without any file still gets its line of zeros.
  const lines = report.scope === 'tenant' && report.tenants.length === 0 ? [report] : report.tenants;
  const rows = lines.map((t) => COLUMNS.map(([, cell]) => cell(t)));
  if (report.scope === 'platform') rows.push(COLUMNS.map(([, cell]) => cell({ ...report, client: 'TOTAL' })));
  const table = [COLUMNS.map(([name]) => name), ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  // First column left-aligned (names), figures right-aligned.
  return table.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}
