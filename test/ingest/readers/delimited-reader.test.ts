import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readDelimited, type DelimitedReaderOptions } from '../../../ingest/src/readers/delimited-reader';
import type { RawRecord } from '../../../ingest/src/readers/raw-record';

async function read(text: string, options: Partial<DelimitedReaderOptions> = {}): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  const input = Readable.from([Buffer.from(text, 'utf8')]);
  for await (const batch of readDelimited(input, { file: 'f.csv', delimiter: ',', quote: '"', header: true, columns: ['a', 'b'], ...options })) out.push(...batch);
  return out;
}

describe('readDelimited', () => {
  it('keys fields by the trimmed header and numbers records after it', async () => {
    await expect(await read(' b , a \r\n1,2\r\n3,4\r\n')).toEqual([
      { record: 1, line: 2, fields: { b: '1', a: '2' } },
      { record: 2, line: 3, fields: { b: '3', a: '4' } },
    ]);
  });

  it('uses the given columns without a header', async () => {
    await expect(await read('1,2\n', { header: false })).toEqual([{ record: 1, line: 1, fields: { a: '1', b: '2' } }]);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('a,b\nü,€\n', 'utf8');
    const out: RawRecord[] = [];
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    for await (const batch of readDelimited(Readable.from(chunks), { file: 'f.csv', delimiter: ',', quote: '"', header: true, columns: [] })) out.push(...batch);
    await expect(out).toEqual([{ record: 1, line: 2, fields: { a: 'ü', b: '€' } }]);
  });

  it('yields a wrong column count as an error record', async () => {
    await expect(await read('a,b\n1,2,3\n4\n')).toEqual([
      { record: 1, line: 2, error: 'line 2: expected 2 columns, got 3', text: '1,2,3' },
      { record: 2, line: 3, error: 'line 3: expected 2 columns, got 1', text: '4' },
    ]);
  });

  it('yields a parse error as an error record', async () => {
    await expect(await read('a,b\n"x"y,2\n')).toEqual([{ record: 1, line: 2, error: 'line 2: unexpected character "y" after closing quote', text: '"x"y,2' }]);
  });

  it('fails the file when the header lacks a required column, repeats one or has an empty one', async () => {
    await expect(read('a,c\n1,2\n', { requiredColumns: ['a', 'b', 'd'] })).rejects.toThrow('f.csv: header lacks required column(s) "b", "d"');
    await expect(read('a,a\n')).rejects.toThrow('f.csv: header has column "a" twice');
    await expect(read('a,,b\n')).rejects.toThrow('f.csv: header has an empty column name');
    await expect(read('"a"x,b\n')).rejects.toThrow('f.csv: cannot read the header: line 1: unexpected character "x" after closing quote');
  });

  it('reads only the wanted columns, the others as empty from the chunk after the header, with or without a header', async () => {
    const out: RawRecord[] = [];
    const input = Readable.from([Buffer.from('b,a\n'), Buffer.from('1,2\n3\n')]);
    for await (const batch of readDelimited(input, { file: 'f.csv', delimiter: ',', quote: '"', header: true, columns: [], only: ['a'] })) out.push(...batch);
    await expect(out).toEqual([
      { record: 1, line: 2, fields: { b: '', a: '2' } },
      { record: 2, line: 3, error: 'line 3: expected 2 columns, got 1', text: '' },
    ]);
    await expect(await read('1,2\n', { header: false, only: ['b'] })).toEqual([{ record: 1, line: 1, fields: { a: '', b: '2' } }]);
  });

  it('gives a column named like an Object.prototype member as its own field', async () => {
    const [rec] = await read('__proto__,constructor\nx,y\n', { columns: [] });
    await expect(Object.getPrototypeOf(rec!.fields)).toBe(Object.prototype);
    await expect(Object.entries(rec!.fields!)).toEqual([['__proto__', 'x'], ['constructor', 'y']]);
  });

  it('yields nothing for an empty file', async () => {
    await expect(await read('')).toEqual([]);
  });
});
