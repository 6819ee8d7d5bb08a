import { MAX_ERROR_TEXT } from './raw-record';

/** One delimited record: its fields, or an error; with the 1-based line it starts on. */
export interface ParsedRow {
  readonly line: number;
  readonly values?: string[];
  readonly error?: string;
  readonly text?: string;
}

export interface DelimitedParserOptions {
  /** One character. */
  readonly delimiter: string;
  /** One character, or '' for no quoting. */
  readonly quote: string;
  /** A record longer than this, its line break included (an unclosed quote, usually), is reported and skipped. @default 1048576 */
  readonly maxRecordChars?: number;
}

const LF = 10;
const CR = 13;

/**
 * Streaming RFC 4180 parser (csv, tsv): quoted fields with the quote doubled inside, delimiters
 * and CRLF/LF line breaks inside quotes, CRLF or LF record ends, blank lines skipped, quotes inside
 * unquoted fields kept as text. A bad record (text after a closing quote, an unclosed quote at the
 * end, a record over maxRecordChars) is reported with its line and parsing resumes on the next line
 * (the line after the limit, for one too long), so one bad row never takes the rest of the file with
 * it, and the records do not depend on where the input's chunks end. Written by hand because csv-parse
 * measured 125k rows/s here, and the batch reads each file twice (see dedup).
 */
export class DelimitedParser {
  private readonly delim: number;
  private readonly quote: number;
  private readonly quoteStr: string;
  private readonly maxRecordChars: number;
  /** Unparsed tail of the previous chunk (an incomplete record). */
  private pending = '';
  /** Line the pending text starts on. */
  private line = 1;
  private first = true;
  /** Dropping the rest of a bad record's line as it arrives. */
  private skipping = false;
  /** Fields of the last record: the next record's array starts at that size instead of regrowing. */
  private width = 0;
  /** Per column, whether its text is wanted; the others read as '' (see keepOnly). */
  private keep: readonly boolean[] | undefined;

  constructor(options: DelimitedParserOptions) {
    if (options.delimiter.length !== 1) throw new RangeError(`delimiter must be one character, got ${JSON.stringify(options.delimiter)}`);
    if (options.quote.length > 1) throw new RangeError(`quote must be one character or empty, got ${JSON.stringify(options.quote)}`);
    if (options.quote === options.delimiter) throw new RangeError(`quote and delimiter must differ, both are ${JSON.stringify(options.quote)}`);
    this.delim = options.delimiter.charCodeAt(0);
    this.quote = options.quote === '' ? -1 : options.quote.charCodeAt(0);
    this.quoteStr = options.quote;
    this.maxRecordChars = options.maxRecordChars ?? 1_048_576;
  }

  /**
   * From the next record on, only the columns marked true get their text; the others are still
   * parsed (quotes, delimiters, line breaks) but read as ''. A pass that needs a few columns then
   * allocates no string for the rest. undefined: every column.
   */
  keepOnly(keep: readonly boolean[] | undefined): void {
    this.keep = keep;
  }

  /** Parses what is complete in pending + chunk; keeps an incomplete last record for the next call. */
  push(chunk: string, out: ParsedRow[]): void {
    let text = this.pending + chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.skipping) {
      const lf = text.indexOf('\n');
      if (lf === -1) return;
      this.skipping = false;
      this.line++;
      text = text.slice(lf + 1);
    }
    this.pending = text.slice(this.parse(text, false, out));
  }

  /** Parses the rest at end of input. */
  end(out: ParsedRow[]): void {
    if (!this.skipping) this.parse(this.pending, true, out);
    this.pending = '';
  }

  /** Returns the index where unconsumed text begins. */
  private parse(text: string, final: boolean, out: ParsedRow[]): number {
    const n = text.length;
    const { delim, quote } = this;
    // Text a bad record may buffer while its end is awaited: past the limit, and enough to quote it.
    const hold = Math.max(this.maxRecordChars + 1, MAX_ERROR_TEXT);
    let pos = 0;
    while (pos < n) {
      const start = pos;
      const startLine = this.line;
      let line = startLine;
      const values: string[] = new Array<string>(this.width);
      let width = 0;
      let error: string | undefined;
      let i = pos;
      let complete = false;
      // Blank line: skip. A CR at the end of the file ends a line, as it does after a field.
      const c = text.charCodeAt(i);
      if (c === CR && i + 1 >= n) {
        if (!final) break;
        pos = n;
        continue;
      }
      if (c === LF || (c === CR && text.charCodeAt(i + 1) === LF)) {
        pos = i + (c === LF ? 1 : 2);
        this.line++;
        continue;
      }
      fields: for (;;) {
        if (i < n && text.charCodeAt(i) === quote) {
          // Quoted field.
          let value = '';
          let segment = i + 1;
          let j = i + 1;
          for (;;) {
            const q = text.indexOf(this.quoteStr, j);
            if (q === -1) {
              if (!final) break fields;
              error = 'quote not closed before end of file';
              i = n;
              break fields;
            }
            for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF) line++;
            if (q + 1 >= n && !final) break fields;
            if (q + 1 < n && text.charCodeAt(q + 1) === quote) {
              value += text.slice(segment, q + 1);
              segment = q + 2;
              j = q + 2;
              continue;
            }
            value += text.slice(segment, q);
            i = q + 1;
            break;
          }
          values[width] = this.keep === undefined || this.keep[width] === true ? value : '';
          width++;
          const after = i < n ? text.charCodeAt(i) : -1;
          if (after === delim) { i++; continue; }
          if (after === LF) { i++; complete = true; break; }
          if (after === CR) {
            if (i + 1 >= n && !final) break fields;
            if (i + 1 >= n) { i += 1; complete = true; break; }
            if (text.charCodeAt(i + 1) === LF) { i += 2; complete = true; break; }
          }
          if (after === -1) {
            if (!final) break fields;
            complete = true;
            break;
          }
          error = `unexpected character ${JSON.stringify(text[i])} after closing quote`;
          break;
        }
        // Unquoted field: up to the delimiter or line end.
        let j = i;
        while (j < n) {
          const ch = text.charCodeAt(j);
          if (ch === delim || ch === LF) break;
          if (ch === CR && (j + 1 >= n || text.charCodeAt(j + 1) === LF)) break;
          j++;
        }
        if (j >= n && !final) break fields;
        values[width] = this.keep === undefined || this.keep[width] === true ? text.slice(i, j) : '';
        width++;
        if (j >= n) { i = n; complete = true; break; }
        const ch = text.charCodeAt(j);
        if (ch === delim) { i = j + 1; continue; }
        if (ch === CR) {
          if (j + 1 >= n) { if (!final) break fields; i = n; complete = true; break; }
          i = j + 2;
        } else i = j + 1;
        complete = true;
        break;
      }
      // Too long: the record (its line break included) or the character that broke it lies past the
      // limit, or so much is buffered without an end that it must. Decided on the text alone, so
      // however the input is chunked; parsing resumes on the line after the limit.
      const limit = start + this.maxRecordChars;
      if (complete || error !== undefined ? i > limit : n - start > hold) {
        pos = this.skipBad(text, start, startLine, limit, `record longer than ${this.maxRecordChars} characters (unclosed quote?)`, final, out);
        continue;
      }
      if (error !== undefined) {
        // Resume on the line after the one the error was found on.
        if (!final && n - start <= hold && text.indexOf('\n', i) === -1) break;
        pos = this.skipBad(text, start, startLine, i, error, final, out);
        continue;
      }
      if (!complete) break;
      values.length = width;
      this.width = width;
      out.push({ line: startLine, values });
      pos = i;
      this.line = line + 1;
    }
    return pos;
  }

  /**
   * Reports the record at `start` and resumes after the first line feed at or after `from`: one that
   * is still to come is skipped to as it arrives. Returns where parsing goes on.
   */
  private skipBad(text: string, start: number, startLine: number, from: number, error: string, final: boolean, out: ParsedRow[]): number {
    const n = text.length;
    const lf = text.indexOf('\n', from);
    const end = lf === -1 ? n : lf;
    out.push({ line: startLine, error: `line ${startLine}: ${error}`, text: text.slice(start, Math.min(end, start + MAX_ERROR_TEXT)) });
    let lines = 0;
    for (let k = start; k < end; k++) if (text.charCodeAt(k) === LF) lines++;
    this.line = startLine + lines + (lf === -1 ? 0 : 1);
    this.skipping = lf === -1 && !final;
    return lf === -1 ? n : lf + 1;
  }
}
