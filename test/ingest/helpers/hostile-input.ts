// Hostile bytes and chunkings for the readers' property tests.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { RawRecord, RecordBatches } from '../../../ingest/src/readers/raw-record';

/** Characters that break parsers: delimiters, quotes, line ends, NUL, BOM, non-BMP, a lone surrogate. */
export const HOSTILE_CHARS = [',', ';', '\t', '|', '"', "'", '\r', '\n', '\r\n', ' ', 'a', 'Z', '0', '-', '.', 'e', '\0', '\ufeff', 'é', '€', '😀', '\u2028', '\ud800', '{', '}', '[', ']', ':', '\\', 'null'] as const;

/** Byte sequences that are not UTF-8: stray continuation and lead bytes, a truncated sequence, an encoded surrogate, beyond U+10FFFF. */
const INVALID_UTF8 = [[0xff], [0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]] as const;

/** Text made of hostile characters. */
export const hostileText = (maxLength = 200): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...HOSTILE_CHARS), maxLength });

/** Any bytes: random ones, or hostile characters mixed with invalid UTF-8, maybe after a BOM. */
export const hostileBytes = (maxLength = 200): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.uint8Array({ maxLength }),
    fc.tuple(
      fc.boolean(),
      fc.array(fc.oneof({ arbitrary: fc.constantFrom(...HOSTILE_CHARS).map((c) => Buffer.from(c)), weight: 4 }, fc.constantFrom(...INVALID_UTF8).map((b) => Buffer.from(b))), { maxLength }),
    ).map(([bom, parts]) => Buffer.concat([...(bom ? [Buffer.from('\ufeff')] : []), ...parts])),
  );

/** Where to cut a byte stream: positions (taken modulo the length), or null for one byte a chunk. */
export const cuts = (): fc.Arbitrary<number[] | null> => fc.oneof({ arbitrary: fc.array(fc.nat(), { maxLength: 12 }), weight: 4 }, fc.constant(null));

/** `bytes` as a file stream delivers them: byte chunks cut where `at` says. */
export function streamOf(bytes: Uint8Array, at: readonly number[] | null = []): Readable {
  const points = at === null ? Array.from({ length: bytes.length }, (_, i) => i) : [...new Set(at.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(Buffer.from(bytes.subarray(from, p)));
    from = Math.max(from, p);
  }
  return Readable.from(chunks, { objectMode: false });
}

/** What reading gave: every record, or what it threw. */
export type Outcome = { readonly records: RawRecord[] } | { readonly thrown: unknown };

export async function outcomeOf(batches: () => RecordBatches): Promise<Outcome> {
  const records: RawRecord[] = [];
  try {
    for await (const batch of batches()) records.push(...batch);
    return { records };
  } catch (thrown) {
    return { thrown };
  }
}

/** The text a reader sees: bytes decoded as UTF-8 (bad sequences become U+FFFD), a leading BOM dropped. */
export function decoded(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8').replace(/^\ufeff/, '');
}

/** Nesting depth of a JSON value, without recursion (it may be nested a million deep). */
export function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, d] = top;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}
