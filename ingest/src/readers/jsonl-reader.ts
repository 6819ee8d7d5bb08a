import type { Readable } from 'node:stream';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../../infra/json-depth';
import { MAX_ERROR_TEXT, type RawRecord, type RecordBatches } from './raw-record';

export interface JsonLinesReaderOptions {
  /** A line longer than this is reported and skipped. @default 1048576 */
  readonly maxLineChars?: number;
}

/**
 * Reads JSON Lines as a stream of record batches: one JSON object a line (LF or CRLF), blank lines
 * skipped, UTF-8 BOM dropped. A line that is not a JSON object, or nests deeper than MAX_JSON_DEPTH,
 * is yielded as an error record.
 */
export async function* readJsonLines(input: Readable, options: JsonLinesReaderOptions = {}): RecordBatches {
  const maxLineChars = options.maxLineChars ?? 1_048_576;
  /** An unfinished line longer than this is reported without waiting for its end: past the limit, and enough to quote it. */
  const hold = Math.max(maxLineChars, MAX_ERROR_TEXT);
  let pending = '';
  let line = 0;
  let record = 0;
  let first = true;
  /** Skipping the rest of an overlong line. */
  let skipping = false;

  const take = (text: string, batch: RawRecord[]): void => {
    line++;
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (body.trim() === '') return;
    record++;
    if (body.length > maxLineChars) {
      batch.push({ record, line, error: `line ${line}: longer than ${maxLineChars} characters`, text: body.slice(0, MAX_ERROR_TEXT) });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      batch.push({ record, line, error: `line ${line}: invalid JSON: ${(err as Error).message}`, text: body.slice(0, MAX_ERROR_TEXT) });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
      batch.push({ record, line, error: `line ${line}: expected a JSON object, got ${kind}`, text: body.slice(0, MAX_ERROR_TEXT) });
      return;
    }
    if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
      batch.push({ record, line, error: `line ${line}: nested deeper than ${MAX_JSON_DEPTH} levels`, text: body.slice(0, MAX_ERROR_TEXT) });
      return;
    }
    batch.push({ record, line, fields: value as Record<string, unknown> });
  };

  input.setEncoding('utf8');
  for await (const chunk of input) {
    let text = pending + (chunk as string);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const batch: RawRecord[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (skipping) {
        skipping = false;
        line++;
      } else take(text.slice(start, nl), batch);
      start = nl + 1;
    }
    pending = text.slice(start);
    // The CR may be half of a CRLF; the rest of the line only makes it longer.
    if (!skipping && (pending.endsWith('\r') ? pending.length - 1 : pending.length) > hold) {
      // Report the overlong line now and drop its text as it streams in.
      take(pending, batch);
      line--;
      skipping = true;
    }
    if (skipping) pending = '';
    if (batch.length > 0) yield batch;
  }
  if (!skipping && pending !== '') {
    const batch: RawRecord[] = [];
    take(pending, batch);
    if (batch.length > 0) yield batch;
  }
}
