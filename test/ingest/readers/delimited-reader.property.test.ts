import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../infra/errors';
import { readDelimited } from '../../../ingest/src/readers/delimited-reader';
import { MAX_ERROR_TEXT, type RawRecord } from '../../../ingest/src/readers/raw-record';
import { cuts, decoded, hostileBytes, hostileText, outcomeOf, streamOf, type Outcome } from '../helpers/hostile-input';

// Hostile csv/tsv: whatever the bytes and wherever the stream cuts them, the reader ends, yields
// the same records as from one chunk, numbers them 1..n on increasing lines, and gives every bad
// one a reason that names its line. Only a bad header may fail the file, as an InputError.

const FILE = 'f.csv';
const DIALECTS = [
  { delimiter: ',', quote: '"' },
  { delimiter: '\t', quote: '"' },
  { delimiter: ';', quote: "'" },
  { delimiter: '|', quote: '' },
] as const;
type Dialect = (typeof DIALECTS)[number];

const dialect = fc.constantFrom(...DIALECTS);
const columnNames = (k: number): string[] => Array.from({ length: k }, (_, i) => `c${i}`);
/** A small limit reaches the overlong paths; undefined is the reader's default. */
const maxRecordChars = fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined });

interface Options {
  readonly dialect: Dialect;
  readonly header: boolean;
  readonly columns: readonly string[];
  readonly maxRecordChars?: number;
}

const read = (bytes: Uint8Array, at: readonly number[] | null, o: Options): Promise<Outcome> =>
  outcomeOf(() => readDelimited(streamOf(bytes, at), { file: FILE, ...o.dialect, header: o.header, columns: o.columns, maxRecordChars: o.maxRecordChars }));

/** Record numbers 1..n, lines increasing and inside the text, fields or a reason naming the line. */
async function expectWellFormed(records: readonly RawRecord[], text: string, o: Options): Promise<void> {
  const lines = text.split('\n').length;
  let previous = 0;
  for (const [i, r] of records.entries()) {
    await expect(r.record).toBe(i + 1);
    await expect(r.line).toBeGreaterThan(previous);
    await expect(r.line).toBeLessThanOrEqual(lines);
    previous = r.line;
    if (r.fields === undefined) {
      await expect(r.error).toMatch(new RegExp(`^line ${r.line}: \\S`));
      await expect(r.text?.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    } else {
      await expect(r.error).toBeUndefined();
      if (!o.header) await expect(Object.keys(r.fields)).toEqual(o.columns);
      await expect(Object.values(r.fields).every((v) => typeof v === 'string')).toBe(true);
    }
  }
}

const options = fc.record({ dialect, header: fc.boolean(), columns: fc.integer({ min: 1, max: 4 }).map(columnNames), maxRecordChars });

describe('readDelimited on hostile input', () => {
  it('ends, yields the same records however the stream is cut, and gives every bad record a reason', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes(), cuts(), options, async (bytes, at, o) => {
        const whole = await read(bytes, [], o);
        await expect(await read(bytes, at, o)).toEqual(whole);
        if ('thrown' in whole) {
          // a header that cannot name the columns fails the file: by design, it is not one bad row
          await expect(o.header).toBe(true);
          await expect(whole.thrown).toBeInstanceOf(InputError);
          await expect((whole.thrown as Error).message).toMatch(/^f\.csv: (cannot read the header: line \d+: |header )/);
        } else {
          await expectWellFormed(whole.records, decoded(bytes), o);
        }
      }),
      { numRuns: 1000, seed: 20261212 },
    );
  });

  it('yields each non-blank line of unquoted text as one record or one rejection, at its line', async () => {
    /** What the reader must yield for text without quote characters: a line is a record. */
    const expected = (text: string, o: Options): RawRecord[] => {
      const max = o.maxRecordChars ?? 1_048_576;
      const pieces = text.split('\n');
      const out: RawRecord[] = [];
      pieces.forEach((piece, i) => {
        const last = i === pieces.length - 1;
        // a CR before the line feed, or at the end of the file, ends the line too
        const content = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
        if (content === '') return;
        const base = { record: out.length + 1, line: i + 1 };
        const values = content.split(o.dialect.delimiter);
        // the limit counts the record's line break
        if (piece.length + (last ? 0 : 1) > max) out.push({ ...base, error: `line ${base.line}: record longer than ${max} characters (unclosed quote?)`, text: piece.slice(0, MAX_ERROR_TEXT) });
        else if (values.length !== o.columns.length) out.push({ ...base, error: `line ${base.line}: expected ${o.columns.length} columns, got ${values.length}`, text: content.slice(0, MAX_ERROR_TEXT) });
        else out.push({ ...base, fields: Object.fromEntries(o.columns.map((c, j) => [c, values[j]])) });
      });
      return out;
    };
    /** Lines of hostile characters, some very wide (thousands of delimiters) or long. */
    const line = fc.oneof(
      { arbitrary: hostileBytes(40), weight: 8 },
      fc.integer({ min: 1000, max: 5000 }).map((n) => Buffer.from(`x${','.repeat(n)}`)),
      fc.integer({ min: 1000, max: 70_000 }).map((n) => Buffer.from('y'.repeat(n))),
    );
    const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 12, maxLength: 12 })).map(([lines, ends]) =>
      Buffer.concat(lines.flatMap((l, i) => [l, Buffer.from(ends[i] as string)])),
    );
    const unquoted = fc.record({ dialect, header: fc.constant(false), columns: fc.integer({ min: 1, max: 4 }).map(columnNames), maxRecordChars });
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 12 }), unquoted, async (raw, at, o) => {
        // quote characters are ASCII: dropping their bytes leaves the rest of the UTF-8 as it was
        const bytes = o.dialect.quote === '' ? raw : raw.filter((b) => b !== o.dialect.quote.charCodeAt(0));
        await expect(await read(bytes, at, o)).toEqual({ records: expected(decoded(bytes), o) });
      }),
      { numRuns: 500, seed: 20261213 },
    );
  });

  it('reads back generated rows written with quoting, wherever the stream is cut', async () => {
    /** Values that need quoting (delimiters, quotes, line breaks), plain ones, long ones. */
    // a lone surrogate cannot be written as UTF-8
    const writableText = (maxLength: number): fc.Arbitrary<string> => hostileText(maxLength).map((s) => s.replaceAll('\ud800', ''));
    const value = fc.oneof({ arbitrary: writableText(12), weight: 10 }, fc.integer({ min: 1, max: 40_000 }).map((n) => 'ü'.repeat(n)));
    /** Header names are trimmed: unique and non-empty once trimmed. */
    const name = writableText(8).filter((s) => s.trim() !== '');
    const table = fc.integer({ min: 1, max: 6 }).chain((k) =>
      fc.record({
        names: fc.uniqueArray(name, { minLength: k, maxLength: k, selector: (s) => s.trim() }),
        rows: fc.array(fc.array(value, { minLength: k, maxLength: k }), { maxLength: 8 }),
      }),
    );
    /** Thousands of columns in one row. */
    const wide = fc.integer({ min: 500, max: 3000 }).chain((k) => fc.record({ names: fc.constant(columnNames(k)), rows: fc.array(fc.array(writableText(3), { minLength: k, maxLength: k }), { minLength: 1, maxLength: 2 }) }));
    const layout = fc.record({ header: fc.boolean(), bom: fc.boolean(), eols: fc.array(fc.constantFrom('\n', '\r\n', '\n\n', '\r\n\r\n'), { minLength: 9, maxLength: 9 }), finalEol: fc.boolean(), quoteAll: fc.boolean() });

    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: table, weight: 6 }, wide), layout, dialect, fc.array(fc.nat(), { maxLength: 12 }), async ({ names, rows: generated }, l, d, at) => {
        const { delimiter, quote } = d;
        const single = names.length === 1;
        // a lone empty value would be a blank line, and a leading U+FEFF a BOM
        const needs = (v: string): boolean => v.includes(delimiter) || v.includes('\r') || v.includes('\n') || (single && v === '') || v.startsWith('\ufeff');
        const writable = (v: string): boolean => quote !== '' || !needs(v);
        const rows = generated.filter((r) => r.every(writable));
        if (!names.every(writable)) return;
        const field = (v: string): string => {
          return quote !== '' && (needs(v) || v.includes(quote) || l.quoteAll) ? `${quote}${v.replaceAll(quote, quote + quote)}${quote}` : v;
        };
        const lines = [...(l.header ? [names] : []), ...rows].map((r) => r.map(field).join(delimiter));
        let text = '';
        let lineNo = 1;
        const starts: number[] = [];
        lines.forEach((row, i) => {
          starts.push(lineNo);
          const eol = i < lines.length - 1 || l.finalEol ? (l.eols[i % l.eols.length] as string) : '';
          text += row + eol;
          lineNo += (row.match(/\n/g)?.length ?? 0) + (eol.match(/\n/g)?.length ?? 0);
        });
        const keys = l.header ? names.map((n) => n.trim()) : names;
        const bytes = Buffer.from(`${l.bom ? '\ufeff' : ''}${text}`, 'utf8');
        const o: Options = { dialect: d, header: l.header, columns: names };
        await expect(await read(bytes, at, o)).toEqual({
          records: rows.map((r, i) => ({ record: i + 1, line: starts[i + (l.header ? 1 : 0)], fields: Object.fromEntries(keys.map((k, j) => [k, r[j]])) })),
        });
      }),
      { numRuns: 400, seed: 20261214 },
    );
  });

  describe('shrunk counterexamples', () => {
    const one = (maxRecordChars?: number): Options => ({ dialect: DIALECTS[0], header: false, columns: ['c0'], maxRecordChars });

    it('an overlong record is one rejection, in one chunk or cut', async () => {
      // was: accepted whole; cut, rejected and its tail read as a record of its own
      for (const at of [[], [2]]) {
        await expect(await read(Buffer.from('\0\0\0'), at, one(1))).toEqual({ records: [{ record: 1, line: 1, error: 'line 1: record longer than 1 characters (unclosed quote?)', text: '\0\0\0' }] });
      }
      await expect(await read(Buffer.from(`${'y'.repeat(1000)}\n`), [], one(1))).toEqual({ records: [{ record: 1, line: 1, error: 'line 1: record longer than 1 characters (unclosed quote?)', text: 'y'.repeat(1000) }] });
    });

    it('a CR alone on the last line is a blank line, not an empty record', async () => {
      await expect(await read(Buffer.from('\n\r'), [], one())).toEqual({ records: [] });
    });

    it('a row with the wrong column count keeps at most MAX_ERROR_TEXT characters', async () => {
      const bytes = Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 13, 0xef, 0xbb, 0xbf, 0xf4, 0x90, 0x80, 0x80, 44, 13, 120]), Buffer.from(','.repeat(1010))]);
      const text = decoded(bytes);
      await expect(await read(bytes, [], one())).toEqual({ records: [{ record: 1, line: 1, error: 'line 1: expected 1 columns, got 1012', text: text.slice(0, MAX_ERROR_TEXT) }] });
      await expect(text.length).toBe(MAX_ERROR_TEXT + 1);
    });
  });
});
