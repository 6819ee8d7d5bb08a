import { describe, expect, it } from 'vitest';
import { DelimitedParser, type ParsedRow } from '../../../ingest/src/readers/delimited-parser';

/** Parses `text` fed in chunks of `size` characters (every split point exercises the carry-over). */
function parse(text: string, size = text.length, options: { delimiter?: string; quote?: string; maxRecordChars?: number } = {}): ParsedRow[] {
  const parser = new DelimitedParser({ delimiter: options.delimiter ?? ',', quote: options.quote ?? '"', maxRecordChars: options.maxRecordChars });
  const out: ParsedRow[] = [];
  for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size), out);
  parser.end(out);
  return out;
}

const TRICKY = '\ufeffa,b,c\r\n1,"x, ""y""\r\nz",3\r\n\r\n"",,\n4,5 "in",6\n"7",8,"9"';
const EXPECTED: ParsedRow[] = [
  { line: 1, values: ['a', 'b', 'c'] },
  { line: 2, values: ['1', 'x, "y"\r\nz', '3'] },
  { line: 5, values: ['', '', ''] },
  { line: 6, values: ['4', '5 "in"', '6'] },
  { line: 7, values: ['7', '8', '9'] },
];

describe('DelimitedParser', () => {
  it('handles quotes, doubled quotes, embedded CRLF, blank lines, BOM and a last line without newline', async () => {
    await expect(parse(TRICKY)).toEqual(EXPECTED);
  });

  it('gives the same records for every chunk size', async () => {
    for (const size of [1, 2, 3, 5, 7, 13]) await expect(parse(TRICKY, size)).toEqual(EXPECTED);
  });

  it('reads tab-delimited text and unquoted text when quoting is off', async () => {
    await expect(parse('a\tb\n"x\t"y\n', 4, { delimiter: '\t', quote: '' })).toEqual([
      { line: 1, values: ['a', 'b'] },
      { line: 2, values: ['"x', '"y'] },
    ]);
  });

  it('keeps a trailing empty field and a lone CR inside a field', async () => {
    await expect(parse('a,\nb\rc,d\n')).toEqual([
      { line: 1, values: ['a', ''] },
      { line: 2, values: ['b\rc', 'd'] },
    ]);
  });

  it('reports text after a closing quote and resumes on the next line', async () => {
    for (const size of [1, 4, 100]) {
      await expect(parse('1,"bad"x,3\n2,ok,4\n', size)).toEqual([
        { line: 1, error: 'line 1: unexpected character "x" after closing quote', text: '1,"bad"x,3' },
        { line: 2, values: ['2', 'ok', '4'] },
      ]);
    }
  });

  it('reports a quote left open at the end of the file', async () => {
    await expect(parse('1,2\n3,"open\n4,5\n', 3)).toEqual([
      { line: 1, values: ['1', '2'] },
      { line: 2, error: 'line 2: quote not closed before end of file', text: '3,"open\n4,5\n' },
    ]);
  });

  it('reports an overlong record once and resumes on the line after the limit', async () => {
    for (const size of [1, 8, 100]) {
      await expect(parse(`1,"${'x'.repeat(50)}\n2,3\n`, size, { maxRecordChars: 20 })).toEqual([
        { line: 1, error: 'line 1: record longer than 20 characters (unclosed quote?)', text: `1,"${'x'.repeat(50)}` },
        { line: 2, values: ['2', '3'] },
      ]);
    }
  });

  it('gives each record its own width when widths change from row to row', async () => {
    await expect(parse('a,b,c\n1,2,3,4,5\nx\n"q",,\n')).toEqual([
      { line: 1, values: ['a', 'b', 'c'] },
      { line: 2, values: ['1', '2', '3', '4', '5'] },
      { line: 3, values: ['x'] },
      { line: 4, values: ['q', '', ''] },
    ]);
  });

  it('reads only the kept columns, the others as empty, and still finds every record and error', async () => {
    const parser = new DelimitedParser({ delimiter: ',', quote: '"' });
    parser.keepOnly([false, true]);
    const out: ParsedRow[] = [];
    parser.push('1,"x, ""y""\r\nz",3\n"a\nb",k\n"bad"x,1\n9,8\n', out);
    parser.end(out);
    await expect(out).toEqual([
      { line: 1, values: ['', 'x, "y"\r\nz', ''] },
      { line: 3, values: ['', 'k'] },
      { line: 5, error: 'line 5: unexpected character "x" after closing quote', text: '"bad"x,1' },
      { line: 6, values: ['', '8'] },
    ]);
    parser.keepOnly(undefined);
    parser.push('5,6\n', out);
    parser.end(out);
    await expect(out.at(-1)).toEqual({ line: 7, values: ['5', '6'] });
  });

  it('refuses bad options', async () => {
    await expect(() => new DelimitedParser({ delimiter: ';;', quote: '"' })).toThrow('delimiter must be one character, got ";;"');
    await expect(() => new DelimitedParser({ delimiter: ',', quote: "''" })).toThrow(`quote must be one character or empty, got "''"`);
    await expect(() => new DelimitedParser({ delimiter: ',', quote: ',' })).toThrow('quote and delimiter must differ, both are ","');
  });
});
