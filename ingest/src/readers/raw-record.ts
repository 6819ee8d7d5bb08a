/** One record as read from a file or message, before conversion. */
export interface RawRecord {
  /** 1-based record number: data rows of a file (header excluded) or messages of a batch. */
  readonly record: number;
  /** 1-based line where the record starts (the message's offset for raw-topic messages). */
  readonly line: number;
  /** Field name → value as read: text for csv/tsv, any JSON value for jsonl. Absent when `error` is set. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** Why the record could not be read (bad quoting, column count, invalid JSON); names line and column. */
  readonly error?: string;
  /** The text of an unreadable record (bounded), for the quarantine file. */
  readonly text?: string;
}

/** Readers yield records in batches (one per input chunk) to keep per-record async overhead off the hot path. */
export type RecordBatches = AsyncIterable<readonly RawRecord[]>;

/** Longest text of a bad record kept for the quarantine file. */
export const MAX_ERROR_TEXT = 1024;
