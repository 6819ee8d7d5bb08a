import * as fs from 'node:fs';
import { once } from 'node:events';
import type { Dataset, FileType } from '../../../infra/tenant/types';
import type { Progress } from '../progress';
import { quoteField } from '../wrangle/format-row';
import { BAD_KINDS, DataGenerator, type BadKind, type GeneratedRow } from './data-generator';

export interface GenOptions {
  readonly rows: number;
  readonly type: FileType;
  /** @default 0 */
  readonly badRatio?: number;
  /** @default 1 */
  readonly seed?: number;
  /** Instant dates are generated around (timeliness rules). @default Date.now() */
  readonly now?: number;
  /** Line breaks inside free-text values (quoted in csv). @default true */
  readonly lineBreaks?: boolean;
  /** Told the rows and bytes of each chunk written. @default none */
  readonly progress?: Progress;
}

/** What a generated file holds, and what the pipeline should make of it. */
export interface GenSummary {
  readonly rows: number;
  readonly bad: Record<BadKind, number>;
  readonly expectedOk: number;
  readonly expectedRejected: number;
  readonly expectedDeduplicated: number;
}

function line(dataset: Dataset, type: FileType, row: GeneratedRow): string {
  const fields = dataset.fields.filter((f) => f.name !== row.dropField);
  if (type === 'jsonl') {
    const obj: Record<string, unknown> = {};
    for (const f of fields) obj[f.name] = row.values[f.name];
    const text = JSON.stringify(obj);
    return row.broken ? text.slice(0, Math.max(1, text.length - 3)) : text;
  }
  const delimiter = type === 'tsv' ? '\t' : dataset.csv.delimiter;
  const { quote } = dataset.csv;
  const cells = fields.map((f) => {
    const v = row.values[f.name];
    return v === null || v === undefined ? '' : quoteField(String(v), delimiter, quote);
  });
  // A closed quote followed by text: a syntax error that spoils this row only.
  if (row.broken) cells[0] = `${quote === '' ? '"' : quote}x${quote === '' ? '"' : quote}y`;
  return cells.join(delimiter);
}

/** Streams `rows` generated rows (header first for csv/tsv with header) to `out`. */
export async function writeGenerated(dataset: Dataset, outPath: string, options: GenOptions): Promise<GenSummary> {
  const gen = new DataGenerator(dataset, options.badRatio ?? 0, options.seed ?? 1, options.now, options.lineBreaks ?? true);
  const bad = Object.fromEntries(BAD_KINDS.map((k) => [k, 0])) as Record<BadKind, number>;
  const stream = fs.createWriteStream(outPath, { highWaterMark: 1 << 20 });
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  const write = async (text: string): Promise<void> => {
    if (!stream.write(text)) await Promise.race([once(stream, 'drain'), failed]);
  };
  if (options.type !== 'jsonl' && dataset.csv.header) {
    const delimiter = options.type === 'tsv' ? '\t' : dataset.csv.delimiter;
    await write(`${dataset.fields.map((f) => quoteField(f.name, delimiter, dataset.csv.quote)).join(delimiter)}\n`);
  }
  let chunk = '';
  let chunkRows = 0;
  const flush = async (): Promise<void> => {
    await write(chunk);
    options.progress?.add(chunkRows, Buffer.byteLength(chunk));
    chunk = '';
    chunkRows = 0;
  };
  for (let i = 0; i < options.rows; i++) {
    const row = gen.next();
    if (row.kind !== 'good') bad[row.kind]++;
    chunk += `${line(dataset, options.type, row)}\n`;
    chunkRows++;
    if (chunk.length > 65_536) await flush();
  }
  await flush();
  options.progress?.done();
  stream.end();
  await Promise.race([once(stream, 'close'), failed]);
  const rejected = BAD_KINDS.filter((k) => k !== 'duplicate').reduce((n, k) => n + bad[k], 0);
  return { rows: options.rows, bad, expectedRejected: rejected, expectedDeduplicated: bad.duplicate, expectedOk: options.rows - rejected - bad.duplicate };
}
