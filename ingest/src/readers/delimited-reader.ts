import type { Readable } from 'node:stream';
import { InputError } from '../../../infra/errors';
import { DelimitedParser, type ParsedRow } from './delimited-parser';
import { MAX_ERROR_TEXT, type RawRecord, type RecordBatches } from './raw-record';

export interface DelimitedReaderOptions {
  /** File name, for messages. */
  readonly file: string;
  readonly delimiter: string;
  /** Quote character; '' disables quoting. */
  readonly quote: string;
  /** First row holds the column names. */
  readonly header: boolean;
  /** Column names in file order when there is no header (the schema's field order). */
  readonly columns: readonly string[];
  /** Columns a header must contain; a header lacking one fails the whole file. @default [] */
  readonly requiredColumns?: readonly string[];
  /** @default 1048576 */
  readonly maxRecordChars?: number;
  /**
   * Columns whose text is wanted (a pass that needs only the key): the others read as '' from the
   * first chunk after the header on. @default every column
   */
  readonly only?: readonly string[];
}

/**
 * Reads csv/tsv as a stream of record batches (never the whole file): fields keyed by the header
 * (or by `columns`), each record numbered from 1 after the header, with the line it starts on.
 * A row with the wrong number of columns is yielded as an error record, not thrown.
 */
export async function* readDelimited(input: Readable, options: DelimitedReaderOptions): RecordBatches {
  const parser = new DelimitedParser(options);
  const keep = (names: readonly string[]): void => {
    if (options.only !== undefined) parser.keepOnly(names.map((c) => options.only!.includes(c)));
  };
  let columns: readonly string[] | undefined = options.header ? undefined : options.columns;
  if (columns !== undefined) keep(columns);
  // Each record's fields are a copy of this object (all columns, in order): one allocation of the
  // final size, where adding the properties one by one regrows the object several times.
  let shape: Record<string, string> | undefined;
  let record = 0;
  const rows: ParsedRow[] = [];

  const toRecords = (): RawRecord[] => {
    const batch: RawRecord[] = [];
    for (const row of rows) {
      if (columns === undefined) {
        columns = headerColumns(row, options);
        keep(columns);
        shape = undefined;
        continue;
      }
      shape ??= Object.fromEntries(columns.map((c) => [c, '']));
      record++;
      if (row.values === undefined) {
        batch.push({ record, line: row.line, error: row.error ?? `line ${row.line}: unreadable`, text: row.text ?? '' });
      } else if (row.values.length !== columns.length) {
        batch.push({
          record,
          line: row.line,
          error: `line ${row.line}: expected ${columns.length} columns, got ${row.values.length}`,
          text: row.values.join(options.delimiter).slice(0, MAX_ERROR_TEXT),
        });
      } else {
        const fields: Record<string, string> = { ...shape };
        for (let i = 0; i < columns.length; i++) fields[columns[i] as string] = row.values[i] as string;
        batch.push({ record, line: row.line, fields });
      }
    }
    rows.length = 0;
    return batch;
  };

  input.setEncoding('utf8');
  for await (const chunk of input) {
    parser.push(chunk as string, rows);
    const batch = toRecords();
    if (batch.length > 0) yield batch;
  }
  parser.end(rows);
  const batch = toRecords();
  if (batch.length > 0) yield batch;
}

function headerColumns(row: ParsedRow, options: DelimitedReaderOptions): string[] {
  if (row.values === undefined) throw new InputError(`${options.file}: cannot read the header: ${row.error ?? 'unreadable'}`, { context: { file: options.file } });
  const names = row.values.map((v) => v.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new InputError(`${options.file}: header has an empty column name`, { context: { file: options.file } });
    if (seen.has(name)) throw new InputError(`${options.file}: header has column "${name}" twice`, { context: { file: options.file } });
    seen.add(name);
  }
  const missing = (options.requiredColumns ?? []).filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new InputError(`${options.file}: header lacks required column(s) ${missing.map((c) => `"${c}"`).join(', ')}`, { context: { file: options.file } });
  }
  return names;
}
