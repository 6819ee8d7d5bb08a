import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonLines } from '../../../ingest/src/readers/jsonl-reader';
import { MAX_ERROR_TEXT, type RawRecord } from '../../../ingest/src/readers/raw-record';

async function read(chunks: string[], maxLineChars?: number): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const batch of readJsonLines(Readable.from(chunks.map((c) => Buffer.from(c))), { maxLineChars })) out.push(...batch);
  return out;
}

describe('readJsonLines', () => {
  it('reads objects across chunks, CRLF, BOM and blank lines, without a final newline', async () => {
    await expect(await read(['\ufeff{"a":1}\r\n\n{"a"', ':"x\\ny"}\n{"b":null}'])).toEqual([
      { record: 1, line: 1, fields: { a: 1 } },
      { record: 2, line: 3, fields: { a: 'x\ny' } },
      { record: 3, line: 4, fields: { b: null } },
    ]);
  });

  it('yields bad lines as error records', async () => {
    await expect(await read(['{"a":\n[1]\n42\nnull\n{"ok":true}\n'])).toEqual([
      { record: 1, line: 1, error: expect.stringMatching(/^line 1: invalid JSON: /), text: '{"a":' },
      { record: 2, line: 2, error: 'line 2: expected a JSON object, got an array', text: '[1]' },
      { record: 3, line: 3, error: 'line 3: expected a JSON object, got number', text: '42' },
      { record: 4, line: 4, error: 'line 4: expected a JSON object, got null', text: 'null' },
      { record: 5, line: 5, fields: { ok: true } },
    ]);
  });

  it('reports an overlong line once, as it streams in, and keeps counting lines', async () => {
    const rows = await read(['{"a":"', 'x'.repeat(2000), 'xx"}\n{"b":1}\n'], 10);
    await expect(rows).toEqual([
      { record: 1, line: 1, error: 'line 1: longer than 10 characters', text: `{"a":"${'x'.repeat(MAX_ERROR_TEXT - 6)}` },
      { record: 2, line: 2, fields: { b: 1 } },
    ]);
  });

  it('quotes an overlong line the same however it is cut', async () => {
    await expect(await read(['{"a":"', 'x'.repeat(30), 'xx"}\n'], 10)).toEqual([{ record: 1, line: 1, error: 'line 1: longer than 10 characters', text: `{"a":"${'x'.repeat(32)}"}` }]);
  });
});
