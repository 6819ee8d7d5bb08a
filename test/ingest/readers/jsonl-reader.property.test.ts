import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../infra/json-depth';
import { readJsonLines } from '../../../ingest/src/readers/jsonl-reader';
import { MAX_ERROR_TEXT, type RawRecord } from '../../../ingest/src/readers/raw-record';
import { cuts, decoded, depthOf, hostileBytes, outcomeOf, streamOf, type Outcome } from '../helpers/hostile-input';

// Hostile JSON Lines: whatever the bytes and wherever the stream cuts them, the reader ends and
// yields each non-blank line as one record or one rejection naming its line, as from one chunk.

const read = (bytes: Uint8Array, at: readonly number[] | null, maxLineChars?: number): Promise<Outcome> => outcomeOf(() => readJsonLines(streamOf(bytes, at), { maxLineChars }));

/** What the reader must yield: per line (LF, CRLF), unless blank, one record or one rejection. */
function expected(text: string, max = 1_048_576): RawRecord[] {
  const out: RawRecord[] = [];
  text.split('\n').forEach((piece, i) => {
    const body = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
    if (body.trim() === '') return;
    const base = { record: out.length + 1, line: i + 1 };
    const reject = (why: string): void => void out.push({ ...base, error: `line ${base.line}: ${why}`, text: body.slice(0, MAX_ERROR_TEXT) });
    if (body.length > max) return reject(`longer than ${max} characters`);
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return reject(`invalid JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return reject(`expected a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
    if (depthOf(value) > MAX_JSON_DEPTH) return reject(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    out.push({ ...base, fields: value as Record<string, unknown> });
  });
  return out;
}

const deeply = (depth: number, open: string, close: string): string => `{"a":${open.repeat(depth)}${close.repeat(depth)}}`;
/** Lines: JSON values of every kind, hostile bytes, objects nested around the depth limit, long ones. */
const line = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v))), weight: 4 },
  // indented, an object spans lines: each of them is bad JSON
  { arbitrary: fc.tuple(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), fc.constantFrom(0, 1)).map(([v, indent]) => Buffer.from(JSON.stringify(v, null, indent))), weight: 4 },
  { arbitrary: hostileBytes(40), weight: 4 },
  fc.tuple(fc.integer({ min: MAX_JSON_DEPTH - 2, max: MAX_JSON_DEPTH + 2 }), fc.constantFrom(['[', ']'], ['{"b":', '}'])).map(([d, [o, c]]) => Buffer.from(deeply(d, o as string, c as string))),
  fc.integer({ min: 10_000, max: 200_000 }).map((d) => Buffer.from(deeply(d, '[', ']'))),
  fc.integer({ min: 1000, max: 70_000 }).map((n) => Buffer.from(`{"s":"${'z'.repeat(n)}"}`)),
);
const file = fc.tuple(fc.array(line, { maxLength: 10 }), fc.array(fc.constantFrom('\n', '\r\n', '\n\n', '\r', ' \n'), { minLength: 10, maxLength: 10 }), fc.boolean()).map(([lines, ends, bom]) =>
  Buffer.concat([...(bom ? [Buffer.from('\ufeff')] : []), ...lines.flatMap((l, i) => [l, Buffer.from(ends[i] as string)])]),
);
const maxLineChars = fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined });

describe('readJsonLines on hostile input', () => {
  it('ends, yields the same records however the stream is cut, and gives every bad line a reason', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBytes(), cuts(), maxLineChars, async (bytes, at, max) => {
        const whole = await read(bytes, [], max);
        await expect(whole).toEqual({ records: expected(decoded(bytes), max) });
        await expect(await read(bytes, at, max)).toEqual(whole);
      }),
      { numRuns: 1000, seed: 20261215 },
    );
  });

  it('yields each non-blank line as one record or one rejection at its line, however the stream is cut', async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 12 }), maxLineChars, async (bytes, at, max) => {
        await expect(await read(bytes, at, max)).toEqual({ records: expected(decoded(bytes), max) });
      }),
      { numRuns: 300, seed: 20261216 },
    );
  });

  it('reads back generated objects, wherever the stream is cut', async () => {
    const layout = fc.record({ bom: fc.boolean(), eols: fc.array(fc.constantFrom('\n', '\r\n', '\n\n', '\r\n \r\n'), { minLength: 8, maxLength: 8 }), finalEol: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), { maxLength: 8 }), layout, fc.array(fc.nat(), { maxLength: 12 }), async (objects, l, at) => {
        let text = l.bom ? '\ufeff' : '';
        let lineNo = 1;
        const records: RawRecord[] = objects.map((o, i) => {
          const eol = i < objects.length - 1 || l.finalEol ? (l.eols[i % l.eols.length] as string) : '';
          text += JSON.stringify(o) + eol;
          const rec = { record: i + 1, line: lineNo, fields: JSON.parse(JSON.stringify(o)) as Record<string, unknown> };
          lineNo += eol.split('\n').length - 1;
          return rec;
        });
        await expect(await read(Buffer.from(text), at)).toEqual({ records });
      }),
      { numRuns: 500, seed: 20261217 },
    );
  });

  describe('shrunk counterexamples', () => {
    it('an overlong line is quoted the same whole or cut', async () => {
      // was: cut, only the part that had arrived was quoted
      await expect(await read(Buffer.from([44, 255, 240, 159, 152, 128]), [2], 1)).toEqual({ records: [{ record: 1, line: 1, error: 'line 1: longer than 1 characters', text: ',\ufffd😀' }] });
      await expect(await read(Buffer.from([13, 123, 125, 32, 10]), [2], 1)).toEqual({ records: [{ record: 1, line: 1, error: 'line 1: longer than 1 characters', text: '\r{} ' }] });
    });

    it('an object nested deeper than MAX_JSON_DEPTH is rejected, one at the limit is read', async () => {
      const text = `${deeply(MAX_JSON_DEPTH, '[', ']')}\n${deeply(MAX_JSON_DEPTH - 1, '[', ']')}\n`;
      const outcome = await read(Buffer.from(text), []);
      await expect(outcome).toMatchObject({ records: [{ record: 1, line: 1, error: `line 1: nested deeper than ${MAX_JSON_DEPTH} levels` }, { record: 2, line: 2, fields: { a: expect.any(Array) } }] });
    });
  });
});
