import { describe, expect, it } from 'vitest';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { InputError } from '../../../infra/errors';
import { clientA, clientB, sensors } from '../helpers/datasets';

const ROW_A = { PROVINCECODE: 'HN', DEVICEID: 'D1', IFINDEX: 1, FRAME: 2, SLOT: 3, PORT: 4, ONUINDEX: 5, ONUID: 6, TIME: '2019-07-01 10:00:00', SPEEDIN: 1.5, SPEEDOUT: 2.25 };
const ROW_B = {
  marketplace: 'US', customer_id: '123', review_id: 'R1', product_id: 'P1', product_parent: '9', product_title: 'Ünïcode “title”',
  product_category: 'Books', star_rating: 5, helpful_votes: 0, total_votes: 1, vine: 'N', verified_purchase: 'Y',
  review_headline: 'Great', review_body: 'line1\nline2', review_date: '2015-08-31',
};

describe('createAvroCodec', () => {
  it('round-trips a client_a record in the Confluent wire format', async () => {
    const codec = createAvroCodec(clientA());
    const buf = codec.encode(ROW_A);
    await expect(buf[0]).toBe(0);
    await expect(buf.readUInt32BE(1)).toBe(1001);
    await expect({ ...codec.decode(buf) }).toEqual(ROW_A);
  });

  it('round-trips a client_b record with the field-level date as a YYYY-MM-DD string', async () => {
    const codec = createAvroCodec(clientB());
    await expect({ ...codec.decode(codec.encode(ROW_B)) }).toEqual(ROW_B);
  });

  it('round-trips nullable unions and logical types as their primitives', async () => {
    const codec = createAvroCodec(sensors());
    const full = {
      sensorId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', ts: 1_700_000_000_123, day: 19_700, reading: 21.5, note: 'x',
      amount: Buffer.from([0x04, 0xd2]), ok: true, count: 4_503_599_627_370_496, tsMicros: 1_700_000_000_123_456, level: 0.5,
    };
    await expect({ ...codec.decode(codec.encode(full)) }).toEqual(full);
    const nulls = { ...full, reading: null, note: null, amount: null, count: null, tsMicros: null, level: null };
    await expect({ ...codec.decode(codec.encode(nulls)) }).toEqual(nulls);
  });

  it('uses an explicit schema id over the dataset one', async () => {
    const codec = createAvroCodec(clientA(), 7);
    await expect(codec.schemaId).toBe(7);
    await expect(codec.encode(ROW_A).readUInt32BE(1)).toBe(7);
  });

  it('refuses an out-of-range schema id', async () => {
    await expect(() => createAvroCodec(clientA(), -1)).toThrow('schema id must be an integer in [0, 4294967295], got -1');
  });

  it('names the field and value of a record it cannot encode', async () => {
    const codec = createAvroCodec(clientA());
    await expect(() => codec.encode({ ...ROW_A, IFINDEX: 'abc' })).toThrow(InputError);
    await expect(() => codec.encode({ ...ROW_A, IFINDEX: 'abc' })).toThrow('cannot encode record of speed-tracking-data as Avro: field "IFINDEX": "abc" is not a valid int');
    await expect(() => codec.encode({ ...ROW_A, DEVICEID: undefined })).toThrow('cannot encode record of speed-tracking-data as Avro: field "DEVICEID": undefined is not a valid string');
  });

  it('refuses a bad magic byte', async () => {
    const codec = createAvroCodec(clientA());
    const buf = codec.encode(ROW_A);
    buf[0] = 0x7b;
    await expect(() => codec.decode(buf)).toThrow(InputError);
    await expect(() => codec.decode(buf)).toThrow('not a Confluent Avro message: magic byte 0x7b, expected 0x00');
  });

  it('refuses another schema id', async () => {
    const buf = createAvroCodec(clientA(), 42).encode(ROW_A);
    await expect(() => createAvroCodec(clientA()).decode(buf)).toThrow('unknown schema id 42 for dataset speed-tracking-data (expected 1001)');
  });

  it('refuses a message shorter than the header', async () => {
    await expect(() => createAvroCodec(clientA()).decode(Buffer.from([0, 0]))).toThrow('not a Confluent Avro message: 2 bytes, need at least 5');
  });

  it('refuses a truncated body', async () => {
    const codec = createAvroCodec(clientA());
    const buf = codec.encode(ROW_A);
    await expect(() => codec.decode(buf.subarray(0, buf.length - 4))).toThrow(/^cannot decode Avro body of speed-tracking-data \(schema id 1001\): /);
  });
});
