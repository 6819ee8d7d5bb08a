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

/** Characters a number's or boolean's text (`-1.5e+21`, `NaN`, `Infinity`, `true`) can hold. */
const PLAIN_TEXT = new Set('0123456789+-.eEINaftinyrulse');
const PLAIN_TYPES = new Set(['int', 'long', 'float', 'double', 'boolean']);

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
  // A number's or boolean's text never needs quotes unless the delimiter or quote could occur in it.
  const plainSafe = !PLAIN_TEXT.has(delimiter) && !PLAIN_TEXT.has(quote);
  const cells = dataset.fields.map((f, i) => ({ ...plan[i]!, plain: plainSafe && f.container === undefined && f.logicalType === undefined && PLAIN_TYPES.has(f.avroType) }));
  const parts: string[] = cells.map(() => '');
  return {
    header: dataset.csv.header ? plan.map((p) => quoteField(p.name, delimiter, quote)).join(delimiter) : undefined,
    format(row) {
      // Refilled per row and joined: no intermediate strings per field.
      for (let i = 0; i < cells.length; i++) {
        const { name, present, plain } = cells[i]!;
        const v = row[name];
        if (v === null || v === undefined) parts[i] = '';
        else {
          const text = String(present(v));
          parts[i] = plain ? text : quoteField(text, delimiter, quote);
        }
      }
      return parts.join(delimiter);
    },
  };
}
