/**
 * A drop-in for kafkajs 2.2's record batch decoder (protocol/recordBatch/v0/decoder), which the
 * fetch response runs on every batch the sink consumes. The original wraps each record in a Decoder
 * of its own, parses every offset and timestamp through Long and back to a string, decodes each
 * varlong with Long arithmetic, and rebuilds the headers object once per header. This one reads an
 * uncompressed batch straight from the fetched buffer with plain numbers and builds each message
 * once: the same objects, key for key (test/ingest/kafka/fast-record-batch-decoder.test.ts decodes
 * the same bytes both ways). Whatever it does not take on — a compressed batch, a partial one at the
 * end of a fetch, a 64-bit value beyond 2^53, a malformed varint — goes to kafkajs' own decoder,
 * which then consumes the batch or throws as it always did. Installed by `installKafkajsPatches()`.
 */

/** The kafkajs Decoder members this uses. */
export interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
  forward(size: number): void;
}

export type RecordBatchDecoder = (decoder: KafkajsDecoder) => Promise<unknown>;

/** kafkajs' TimestampTypes. */
const CREATE_TIME = 0;
const LOG_APPEND_TIME = 1;

const TIMESTAMP_TYPE_FLAG = 0x8;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
const CODEC_MASK = 0x7;

/** From the batch's first byte to its records: offset, length, leader epoch, magic, CRC, attributes… */
const HEADER = 8 + 4 + 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

/** Thrown inside this module only: the batch goes to kafkajs' decoder instead. */
class NotMine extends Error {}
const notMine = new NotMine();

/** A signed 64-bit integer at `at` as a number, when it is one exactly. */
function int64(buf: Buffer, at: number): number {
  const high = buf.readInt32BE(at);
  const value = high * 2 ** 32 + buf.readUInt32BE(at + 4);
  if (!Number.isSafeInteger(value)) throw notMine;
  return value;
}

/** Reads a batch's records; `end` bounds the record being read. */
class Cursor {
  pos = 0;
  end = 0;
  private readonly names: { readonly bytes: Buffer; readonly text: string }[] = [];
  constructor(readonly buf: Buffer) {}

  /** An unsigned varint below `limit`, or NotMine. */
  private unsigned(limit: number): number {
    const buf = this.buf;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8 && this.pos < this.end; i++) {
      const byte = buf[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (value >= limit) break;
        return value;
      }
      scale *= 128;
    }
    throw notMine;
  }

  /** A zigzag varint below 2^31 before decoding: where kafkajs' 32-bit shifts are exact. */
  varint(): number {
    const u = this.unsigned(2 ** 31);
    return (u >>> 1) ^ -(u & 1);
  }

  /** A zigzag varlong, when it fits a number exactly. */
  varlong(): number {
    const u = this.unsigned(2 ** 53);
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }

  /** A length-prefixed field (kafkajs' readVarIntBytes): where it starts, `pos` past it; -1 for null. */
  private field(): number {
    const length = this.varint();
    if (length === -1) return -1;
    const at = this.pos;
    if (length < 0 || at + length > this.end) throw notMine;
    this.pos += length;
    return at;
  }

  /** null, or a view of the fetched buffer. */
  bytes(): Buffer | null {
    const at = this.field();
    return at === -1 ? null : this.buf.subarray(at, this.pos);
  }

  /**
   * A header name. Every message repeats the same few: the i-th name is compared byte for byte with
   * the last one seen at i and its string reused, so a name costs no allocation after the first.
   */
  name(i: number): string | null {
    const at = this.field();
    if (at === -1) return null;
    const length = this.pos - at;
    const seen = this.names[i];
    if (seen !== undefined && seen.bytes.length === length) {
      let same = true;
      for (let j = 0; j < length && same; j++) same = seen.bytes[j] === this.buf[at + j];
      if (same) return seen.text;
    }
    const bytes = Buffer.from(this.buf.subarray(at, this.pos));
    const text = bytes.toString('utf8');
    this.names[i] = { bytes, text };
    return text;
  }
}

type HeaderValue = Buffer | null | (Buffer | null)[];

/** kafkajs' headers object: one key per name, a repeated name collecting its values in an array. */
function readHeaders(cursor: Cursor): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  const count = cursor.varint();
  if (count < -1) throw notMine;
  for (let i = 0; i < count; i++) {
    // kafkajs names a null key "null" (a computed property key)
    const key = String(cursor.name(i));
    const value = cursor.bytes();
    // read as kafkajs reads it, inherited properties included
    const kept = headers[key] as HeaderValue | undefined;
    const next = kept === undefined ? value : Array.isArray(kept) ? [...kept, value] : [kept, value];
    if (key === '__proto__') Object.defineProperty(headers, key, { value: next, enumerable: true, writable: true, configurable: true });
    else headers[key] = next;
  }
  return headers;
}

/** Decodes one uncompressed, complete batch at the decoder's offset, or throws NotMine. */
function decodeBatch(decoder: KafkajsDecoder): { size: number; batch: Record<string, unknown> } {
  const buf = decoder.buffer;
  const start = decoder.offset;
  if (start + HEADER > buf.length) throw notMine;
  const length = buf.readInt32BE(start + 8);
  const end = start + 12 + length;
  if (length < HEADER - 12 || end > buf.length) throw notMine;
  const attributes = buf.readInt16BE(start + 21);
  if ((attributes & CODEC_MASK) !== 0) throw notMine;
  const firstOffset = int64(buf, start);
  const firstTimestamp = int64(buf, start + 27);
  const recordContext = {
    firstOffset: String(firstOffset),
    firstTimestamp: String(firstTimestamp),
    partitionLeaderEpoch: buf.readInt32BE(start + 12),
    inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
    isControlBatch: (attributes & CONTROL_FLAG) > 0,
    lastOffsetDelta: buf.readInt32BE(start + 23),
    producerId: String(int64(buf, start + 43)),
    producerEpoch: buf.readInt16BE(start + 51),
    firstSequence: buf.readInt32BE(start + 53),
    maxTimestamp: String(int64(buf, start + 35)),
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
  };
  const magicByte = buf.readInt8(start + 16);
  const batchContext = { ...recordContext, magicByte };
  const count = buf.readInt32BE(start + HEADER - 4);
  if (count < -1) throw notMine;
  const records = new Array<unknown>(Math.max(count, 0));
  const cursor = new Cursor(buf);
  cursor.pos = start + HEADER;
  const appendTime = recordContext.timestampType === LOG_APPEND_TIME;
  for (let i = 0; i < count; i++) {
    cursor.end = end;
    const size = cursor.varint();
    const recordEnd = cursor.pos + size;
    if (size < 1 || recordEnd > end) throw notMine;
    cursor.end = recordEnd;
    const recordAttributes = buf.readInt8(cursor.pos++);
    const timestampDelta = cursor.varlong();
    const offsetDelta = cursor.varint();
    const key = cursor.bytes();
    const value = cursor.bytes();
    const headers = readHeaders(cursor);
    const timestamp = firstTimestamp + timestampDelta;
    const offset = firstOffset + offsetDelta;
    if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(offset)) throw notMine;
    records[i] = {
      magicByte,
      attributes: recordAttributes,
      timestamp: appendTime ? recordContext.maxTimestamp : String(timestamp),
      offset: String(offset),
      key,
      value,
      headers,
      isControlRecord: recordContext.isControlBatch,
      batchContext,
    };
    cursor.pos = recordEnd;
  }
  return { size: 12 + length, batch: { ...recordContext, records } };
}

/** The patched module: ours for what it takes on, kafkajs' `original` for the rest. */
export function createFastRecordBatchDecoder(original: RecordBatchDecoder): RecordBatchDecoder {
  return async (decoder) => {
    let decoded: { size: number; batch: Record<string, unknown> };
    try {
      decoded = decodeBatch(decoder);
    } catch (err) {
      if (err === notMine) return original(decoder);
      throw err;
    }
    decoder.forward(decoded.size);
    return decoded.batch;
  };
}
