import * as avro from 'avsc';
import type { Dataset } from '../../../infra/tenant/types';
import { InputError } from '../../../infra/errors';

/** Confluent wire format: magic byte 0x00, 4-byte big-endian schema id, Avro binary. */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

export interface AvroCodec {
  readonly schemaId: number;
  readonly type: avro.Type;
  /** Encodes a record (wire values: see the Kafka message format in the conventions). */
  encode(record: Record<string, unknown>): Buffer;
  /** Decodes one message value; InputError on a bad magic byte, another schema id or a bad body. */
  decode(buf: Buffer): Record<string, unknown>;
}

/** `{"path":"x","type":"int","value":"abc"}` of the first invalid value, for error messages. */
function firstInvalid(type: avro.Type, record: unknown): { path: string; type: string; value: unknown } | undefined {
  let found: { path: string; type: string; value: unknown } | undefined;
  type.isValid(record, {
    errorHook: (path: string[], value: unknown, t: avro.Type) => {
      found ??= { path: path.join('.'), type: String(t.typeName ?? t.toString()), value };
    },
  });
  return found;
}

/**
 * Avro codec of a dataset's schema in the Confluent wire format. No logical-type hooks: logical
 * types travel as their underlying primitives (timestamps as numbers, int dates as days since
 * epoch, decimals as two's complement bytes), which is what standard converters expect.
 */
export function createAvroCodec(dataset: Dataset, schemaId: number = dataset.schemaId): AvroCodec {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new InputError(`schema id must be an integer in [0, 4294967295], got ${schemaId}`, { context: { dataset: dataset.name } });
  }
  const type = avro.Type.forSchema(dataset.schema as avro.Schema);
  // Values are written into shared slabs and handed out as views: no allocation per record.
  const SLAB_BYTES = 256 * 1024;
  let slab = Buffer.allocUnsafe(SLAB_BYTES);
  let used = 0;
  const writeHeader = (at: number): void => {
    slab.writeUInt8(MAGIC_BYTE, at);
    slab.writeUInt32BE(schemaId, at + 1);
  };
  return {
    schemaId,
    type,
    encode(record) {
      try {
        for (let size = SLAB_BYTES; ; size *= 2) {
          if (used + HEADER_BYTES < slab.length) {
            const end = type.encode(record, slab, used + HEADER_BYTES);
            if (end > 0) {
              writeHeader(used);
              const value = slab.subarray(used, end);
              used = end;
              return value;
            }
          }
          // Not enough room: a fresh slab (bigger when one record needs it).
          slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, size));
          used = 0;
        }
      } catch (err) {
        const bad = firstInvalid(type, record);
        const detail = bad === undefined ? (err as Error).message : `field "${bad.path}": ${JSON.stringify(bad.value) ?? 'undefined'} is not a valid ${bad.type}`;
        throw new InputError(`cannot encode record of ${dataset.name} as Avro: ${detail}`, { cause: err, context: { dataset: dataset.name } });
      }
    },
    decode(buf) {
      if (buf.length < HEADER_BYTES) {
        throw new InputError(`not a Confluent Avro message: ${buf.length} bytes, need at least ${HEADER_BYTES}`, { context: { dataset: dataset.name } });
      }
      const magic = buf.readUInt8(0);
      if (magic !== MAGIC_BYTE) {
        throw new InputError(`not a Confluent Avro message: magic byte 0x${magic.toString(16).padStart(2, '0')}, expected 0x00`, { context: { dataset: dataset.name } });
      }
      const id = buf.readUInt32BE(1);
      if (id !== schemaId) {
        throw new InputError(`unknown schema id ${id} for dataset ${dataset.name} (expected ${schemaId})`, { context: { dataset: dataset.name } });
      }
      try {
        return type.fromBuffer(buf.subarray(HEADER_BYTES)) as Record<string, unknown>;
      } catch (err) {
        throw new InputError(`cannot decode Avro body of ${dataset.name} (schema id ${id}): ${(err as Error).message}`, { cause: err, context: { dataset: dataset.name } });
      }
    },
  };
}
