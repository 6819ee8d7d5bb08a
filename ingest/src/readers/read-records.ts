import * as path from 'node:path';
import type { Readable } from 'node:stream';
import type { Dataset, FileType } from '../../../infra/tenant/types';
import { readDelimited } from './delimited-reader';
import { readJsonLines } from './jsonl-reader';
import type { RecordBatches } from './raw-record';

const EXTENSIONS: Readonly<Record<string, FileType>> = { '.csv': 'csv', '.tsv': 'tsv', '.jsonl': 'jsonl' };

/** The file type a name's extension says (case-insensitive), or undefined. */
export function fileTypeOf(name: string): FileType | undefined {
  return EXTENSIONS[path.extname(name).toLowerCase()];
}

/** Fields a header must name: non-nullable ones without an Avro default. */
export function requiredColumns(dataset: Dataset): string[] {
  return dataset.fields.filter((f) => !f.nullable && f.default === undefined).map((f) => f.name);
}

/**
 * Records of a staged file of the given type, per the dataset's csv options (tsv: tab-delimited).
 * `only`: the columns wanted; csv/tsv may then read the others as ''.
 */
export function readRecords(input: Readable, dataset: Dataset, type: FileType, file: string, only?: readonly string[]): RecordBatches {
  if (type === 'jsonl') return readJsonLines(input);
  return readDelimited(input, {
    file,
    delimiter: type === 'tsv' ? '\t' : dataset.csv.delimiter,
    quote: dataset.csv.quote,
    header: dataset.csv.header,
    columns: dataset.fields.map((f) => f.name),
    requiredColumns: requiredColumns(dataset),
    ...(only === undefined ? {} : { only }),
  });
}
