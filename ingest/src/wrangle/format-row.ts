import type { Dataset, FieldSpec, FileType } from '../../../infra/tenant/types';
import { decimalOf, decimalToNumber } from './coerce';

/** Writes converted rows back as text lines (the out/ file), in the input's format, re-ingestible as is. */
export interface RowFormatter {
  /** First line of the file (csv/tsv with header), or undefined. */
  readonly header: string | undefined;
  format(row: Readonly<Record<string, unknown>>): string;
}

const DAY_MS = 86_400_000;

/** A converted value in its readable form: dates as YYYY-MM-DD, millisecond timestamps as ISO 8601, decimals as text. */
function presenter(field: FieldSpec): (v: unknown) => unknown {
  if (field.container !== undefined) return (v) => JSON.stringify(v);
  switch (field.logicalType) {
    case 'date':
      return field.avroType === 'int' ? (v) => new Date((v as number) * DAY_MS).toISOString().slice(0, 10) : (v) => v;
    case 'timestamp-millis':
      return (v) => new Date(v as number).toISOString();
    case 'decimal': {
      const { scale } = decimalOf(field);
      return (v) => decimalToNumber(v as Buffer, scale).toFixed(scale);
    }
    default:
      return field.avroType === 'bytes' ? (v) => (v as Buffer).toString('base64') : (v) => v;
  }
}

const SPECIAL = /[\r\n]/;

/** Quotes a csv/tsv field when it holds the delimiter, the quote or a line break. */
export function quoteField(text: string, delimiter: string, quote: string): string {
  if (quote === '' || (!text.includes(delimiter) && !text.includes(quote) && !SPECIAL.test(text))) return text;
  return quote + text.split(quote).join(quote + quote) + quote;
}

export function createRowFormatter(dataset: Dataset, type: FileType): RowFormatter {
  const plan = dataset.fields.map((f) => ({ name: f.name, present: presenter(f) }));
  if (type === 'jsonl') {
    return {
      header: undefined,
      format(row) {
        const out: Record<string, unknown> = {};
        for (const { name, present } of plan) out[name] = row[name] === null ? null : present(row[name]);
        return JSON.stringify(out);
      },
    };
  }
  const delimiter = type === 'tsv' ? '\t' : dataset.csv.delimiter;
  const { quote } = dataset.csv;
  return {
    header: dataset.csv.header ? plan.map((p) => quoteField(p.name, delimiter, quote)).join(delimiter) : undefined,
    format(row) {
      let line = '';
      for (let i = 0; i < plan.length; i++) {
        const { name, present } = plan[i]!;
        const v = row[name];
        if (i > 0) line += delimiter;
        if (v !== null && v !== undefined) line += quoteField(String(present(v)), delimiter, quote);
      }
      return line;
    },
  };
}
