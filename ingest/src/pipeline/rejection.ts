/**
 * A row that did not make it: why (reason), which check (rule), which field and value, and the row
 * as read (raw). Built by the readers (parse errors), the converter (Avro types), the wrangler and
 * the quality rules; goes to the quarantine file, the `.dlq` topic and the ingestion log's counts.
 */
export interface Rejection {
  readonly tenant: string;
  readonly dataset: string;
  /** Source file name, or `<topic>@<partition>:<offset>` for a raw-topic message. */
  readonly file: string;
  /** 1-based record number inside the file (data rows, header excluded) or message batch. */
  readonly record: number;
  /** Human-readable: names the field, the value and what was expected. */
  readonly reason: string;
  /** `parse`, `schema`, or the quality rule's name (e.g. `SPEEDIN.range`). */
  readonly rule: string;
  readonly field?: string;
  readonly value?: unknown;
  /** The record as read, before conversion (field → text for csv/tsv, the object for jsonl). */
  readonly raw: unknown;
}

/** The JSON form written to quarantine files and DLQ values: every key present, null when absent. */
export function rejectionJson(r: Rejection): Record<string, unknown> {
  return {
    tenant: r.tenant,
    dataset: r.dataset,
    file: r.file,
    record: r.record,
    reason: r.reason,
    rule: r.rule,
    field: r.field ?? null,
    value: r.value === undefined ? null : r.value,
    raw: r.raw === undefined ? null : r.raw,
  };
}
