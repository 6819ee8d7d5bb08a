/**
 * A drop-in for kafkajs 2.2's Kafka record encoder (protocol/recordBatch/record/v0). The original
 * allocates a zero-filled 512-byte Encoder per record and per header and a Buffer per varint; for a
 * keyed message with our four headers that was over half of `batch`'s CPU and most of its garbage.
 * This one sizes the record first and writes it, string keys and headers included, into one pooled
 * allocation (nothing else per record or header), byte for byte the same
 * output (test/ingest/kafka/fast-record-encoder.test.ts compares both on many records).
 * Installed by `installKafkajsPatches()` (kafkajs-patches.ts).
 */

export type Bytes = Buffer | string | null | undefined;

export interface RecordArgs {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key?: Bytes;
  readonly value?: Bytes;
  readonly headers?: Readonly<Record<string, Bytes | readonly Bytes[]>>;
}

interface EncoderLike {
  buf: Buffer;
  offset: number;
}

/** Deltas beyond this go to the original encoder (its 64-bit varlong path). */
const SMALL = 2 ** 30;

const zigzag = (n: number): number => ((n << 1) ^ (n >> 31)) >>> 0;

function sizeOfUVarInt(u: number): number {
  let bytes = 1;
  while ((u & 0xffffff80) !== 0) {
    bytes++;
    u >>>= 7;
  }
  return bytes;
}

function writeUVarInt(buf: Buffer, at: number, u: number): number {
  while ((u & 0xffffff80) !== 0) {
    buf[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[at++] = u & 0x7f;
  return at;
}

/** Header names repeat on every message: encoded once. */
const headerNames = new Map<string, Buffer>();
function headerName(name: string): Buffer {
  let b = headerNames.get(name);
  if (b === undefined) {
    b = Buffer.from(name, 'utf8');
    if (headerNames.size < 1000) headerNames.set(name, b);
  }
  return b;
}

/** Bytes of a key, value or header value as kafkajs writes it: a string as UTF-8, anything else as its String(). */
const byteLength = (b: Bytes): number => (b === null || b === undefined ? -1 : Buffer.isBuffer(b) ? b.length : Buffer.byteLength(typeof b === 'string' ? b : String(b), 'utf8'));
const sizeOfBytes = (length: number): number => (length < 0 ? 1 : sizeOfUVarInt(zigzag(length)) + length);

/** Writes one length-prefixed field; strings straight into the record (no Buffer of their own). */
function writeBytes(buf: Buffer, at: number, b: Bytes, length: number): number {
  at = writeUVarInt(buf, at, zigzag(length));
  if (length < 0) return at;
  if (Buffer.isBuffer(b)) return at + b.copy(buf, at);
  return at + buf.write(typeof b === 'string' ? b : String(b), at, length, 'utf8');
}

function writeHeader(buf: Buffer, at: number, name: Buffer, value: Bytes): number {
  return writeBytes(buf, writeBytes(buf, at, name, name.length), value, byteLength(value));
}

/** kafkajs' record encoder: one record's arguments → an Encoder holding its bytes. */
export type RecordEncoder = (args: RecordArgs) => EncoderLike;

/** What a record is written from: a kafkajs message, or the arguments of kafkajs' record encoder. */
type RecordFields = Pick<RecordArgs, 'key' | 'value' | 'headers'>;

/** Whether a record fits the 32-bit varint path; larger deltas are for kafkajs' own 64-bit code. */
export function isSmallRecord(offsetDelta: number, timestampDelta: unknown): boolean {
  return typeof timestampDelta === 'number' && Number.isInteger(timestampDelta) && Math.abs(timestampDelta) < SMALL && Math.abs(offsetDelta) < SMALL;
}

/** Bytes of a small record (isSmallRecord) after its length prefix. */
export function recordBodySize(record: RecordFields, offsetDelta: number, timestampDelta: number): number {
  const { key, value, headers } = record;
  // Two walks over the headers (size, then write) instead of arrays of them: nothing allocated per header.
  let headerCount = 0;
  let body = 1 + sizeOfUVarInt(zigzag(timestampDelta)) + sizeOfUVarInt(zigzag(offsetDelta)) + sizeOfBytes(byteLength(key)) + sizeOfBytes(byteLength(value));
  for (const name in headers) {
    const v = headers[name];
    const nameLength = headerName(name).length;
    if (Array.isArray(v)) {
      for (const one of v as readonly Bytes[]) { headerCount++; body += sizeOfBytes(nameLength) + sizeOfBytes(byteLength(one)); }
    } else {
      headerCount++;
      body += sizeOfBytes(nameLength) + sizeOfBytes(byteLength(v as Bytes));
    }
  }
  return body + sizeOfUVarInt(zigzag(headerCount));
}

/** Bytes of a small record whose body is `body` bytes, its length prefix included. */
export const recordSize = (body: number): number => sizeOfUVarInt(zigzag(body)) + body;

/** Writes a small record of `body` bytes (recordBodySize) at `at`, as kafkajs would; returns where it ends. */
export function writeRecord(buf: Buffer, at: number, record: RecordFields, offsetDelta: number, timestampDelta: number, body: number): number {
  const { key, value, headers } = record;
  at = writeUVarInt(buf, at, zigzag(body));
  buf[at++] = 0; // attributes
  at = writeUVarInt(buf, at, zigzag(timestampDelta));
  at = writeUVarInt(buf, at, zigzag(offsetDelta));
  at = writeBytes(buf, at, key, byteLength(key));
  at = writeBytes(buf, at, value, byteLength(value));
  let headerCount = 0;
  for (const name in headers) {
    const v = headers[name];
    headerCount += Array.isArray(v) ? v.length : 1;
  }
  at = writeUVarInt(buf, at, zigzag(headerCount));
  for (const name in headers) {
    const v = headers[name];
    const nameBytes = headerName(name);
    if (Array.isArray(v)) for (const one of v as readonly Bytes[]) at = writeHeader(buf, at, nameBytes, one);
    else at = writeHeader(buf, at, nameBytes, v as Bytes);
  }
  return at;
}

/** Builds the record encoder on top of kafkajs' Encoder class and original record encoder (for huge deltas). */
export function createFastRecordEncoder(EncoderClass: { prototype: object }, original: RecordEncoder): RecordEncoder {
  return (args) => {
    const offsetDelta = args.offsetDelta ?? 0;
    const timestampDelta = args.timestampDelta ?? 0;
    if (!isSmallRecord(offsetDelta, timestampDelta)) return original(args);
    const body = recordBodySize(args, offsetDelta, timestampDelta);
    const buf = Buffer.allocUnsafe(recordSize(body));
    const encoder = Object.create(EncoderClass.prototype) as EncoderLike;
    encoder.buf = buf;
    encoder.offset = writeRecord(buf, 0, args, offsetDelta, timestampDelta, body);
    return encoder;
  };
}
