/**
 * A drop-in for kafkajs 2.2's Kafka record encoder (protocol/recordBatch/record/v0). The original
 * allocates a zero-filled 512-byte Encoder per record and per header and a Buffer per varint; for a
 * keyed message with our three headers that was over half of `batch`'s CPU and most of its garbage.
 * This one sizes the record first and writes it into one pooled allocation, byte for byte the same
 * output (test/ingest/kafka/fast-record-encoder.test.ts compares both on many records).
 * Installed by `installKafkajsPatches()` (kafkajs-patches.ts).
 */

type Bytes = Buffer | string | null | undefined;

interface RecordArgs {
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

const toBuffer = (b: Bytes): Buffer | null => (b === null || b === undefined ? null : Buffer.isBuffer(b) ? b : Buffer.from(String(b), 'utf8'));
const sizeOfBytes = (b: Buffer | null): number => (b === null ? 1 : sizeOfUVarInt(zigzag(b.length)) + b.length);

function writeBytes(buf: Buffer, at: number, b: Buffer | null): number {
  if (b === null) return writeUVarInt(buf, at, zigzag(-1));
  at = writeUVarInt(buf, at, zigzag(b.length));
  return at + b.copy(buf, at);
}

/** kafkajs' record encoder: one record's arguments → an Encoder holding its bytes. */
export type RecordEncoder = (args: RecordArgs) => EncoderLike;

/** Builds the record encoder on top of kafkajs' Encoder class and original record encoder (for huge deltas). */
export function createFastRecordEncoder(EncoderClass: { prototype: object }, original: RecordEncoder): RecordEncoder {
  return (args) => {
    const offsetDelta = args.offsetDelta ?? 0;
    const timestampDelta = args.timestampDelta ?? 0;
    if (typeof timestampDelta !== 'number' || !Number.isInteger(timestampDelta) || Math.abs(timestampDelta) >= SMALL || Math.abs(offsetDelta) >= SMALL) return original(args);
    const key = toBuffer(args.key);
    const value = toBuffer(args.value);
    const headers: (Buffer | null)[] = [];
    for (const [name, v] of Object.entries(args.headers ?? {})) {
      for (const one of Array.isArray(v) ? (v as readonly Bytes[]) : [v as Bytes]) headers.push(headerName(name), toBuffer(one));
    }
    let body = 1 + sizeOfUVarInt(zigzag(timestampDelta)) + sizeOfUVarInt(zigzag(offsetDelta)) + sizeOfBytes(key) + sizeOfBytes(value) + sizeOfUVarInt(zigzag(headers.length / 2));
    for (const h of headers) body += sizeOfBytes(h);
    const total = sizeOfUVarInt(zigzag(body)) + body;
    const buf = Buffer.allocUnsafe(total);
    let at = writeUVarInt(buf, 0, zigzag(body));
    buf[at++] = 0; // attributes
    at = writeUVarInt(buf, at, zigzag(timestampDelta));
    at = writeUVarInt(buf, at, zigzag(offsetDelta));
    at = writeBytes(buf, at, key);
    at = writeBytes(buf, at, value);
    at = writeUVarInt(buf, at, zigzag(headers.length / 2));
    for (const h of headers) at = writeBytes(buf, at, h);
    const encoder = Object.create(EncoderClass.prototype) as EncoderLike;
    encoder.buf = buf;
    encoder.offset = at;
    return encoder;
  };
}
