import type { StreamReport } from './stream-report';

/** Figures of one tenant dataset over the monitor's sliding window. */
export interface WindowStats {
  readonly reports: number;
  readonly instances: number;
  readonly messages: number;
  readonly rows: number;
  readonly bytes: number;
  readonly errors: number;
  /** Sum over instances of (rows / seconds that instance reported). */
  readonly rowsPerSecond: number;
  /** Average ingestion time weighted by messages (unweighted when no messages). */
  readonly avgIngestionMs: number;
  /** Highest p95 any instance reported. */
  readonly maxP95IngestionMs: number;
  /** Seconds the reports cover (longest per-instance coverage). */
  readonly coveredSeconds: number;
}

interface Entry {
  readonly receivedAt: number;
  readonly report: StreamReport;
}

/** Keeps the reports of the last `windowSeconds` per `<tenant>/<dataset>`. */
export class ReportWindow {
  readonly #entries = new Map<string, Entry[]>();

  constructor(readonly windowSeconds: number) {}

  add(report: StreamReport, now = Date.now()): void {
    const key = `${report.tenant}/${report.dataset}`;
    const list = this.#entries.get(key) ?? [];
    list.push({ receivedAt: now, report });
    this.#entries.set(key, list);
    this.#prune(key, now);
  }

  /** Newest first. */
  recent(tenant: string, now = Date.now()): StreamReport[] {
    const out: Entry[] = [];
    for (const key of this.#entries.keys()) {
      if (!key.startsWith(`${tenant}/`)) continue;
      this.#prune(key, now);
      out.push(...(this.#entries.get(key) ?? []));
    }
    return out.sort((a, b) => b.receivedAt - a.receivedAt).map((e) => e.report);
  }

  stats(tenant: string, dataset: string, now = Date.now()): WindowStats {
    const key = `${tenant}/${dataset}`;
    this.#prune(key, now);
    const reports = (this.#entries.get(key) ?? []).map((e) => e.report);
    const byInstance = new Map<string, { rows: number; seconds: number }>();
    let messages = 0, rows = 0, bytes = 0, errors = 0, weighted = 0, plain = 0, maxP95 = 0;
    for (const r of reports) {
      messages += r.messages;
      rows += r.rows;
      bytes += r.bytes;
      errors += r.errors;
      weighted += r.avg_ingestion_ms * r.messages;
      plain += r.avg_ingestion_ms;
      maxP95 = Math.max(maxP95, r.p95_ingestion_ms);
      const i = byInstance.get(r.instance) ?? { rows: 0, seconds: 0 };
      byInstance.set(r.instance, { rows: i.rows + r.rows, seconds: i.seconds + r.window_seconds });
    }
    const perInstance = [...byInstance.values()];
    return {
      reports: reports.length,
      instances: byInstance.size,
      messages,
      rows,
      bytes,
      errors,
      rowsPerSecond: perInstance.reduce((sum, i) => sum + i.rows / i.seconds, 0),
      avgIngestionMs: messages > 0 ? weighted / messages : reports.length > 0 ? plain / reports.length : 0,
      maxP95IngestionMs: maxP95,
      coveredSeconds: perInstance.reduce((max, i) => Math.max(max, i.seconds), 0),
    };
  }

  #prune(key: string, now: number): void {
    const list = this.#entries.get(key);
    if (list === undefined) return;
    const from = now - this.windowSeconds * 1000;
    const kept = list.filter((e) => e.receivedAt >= from);
    if (kept.length === 0) this.#entries.delete(key);
    else this.#entries.set(key, kept);
  }
}
