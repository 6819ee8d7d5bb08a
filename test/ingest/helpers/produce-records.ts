// Produces records to a dataset's main topic exactly as the batch pipeline does: R1's Avro codec
// (Confluent wire format), key = primary key JSON, the file/row headers, idempotent producer.
import type { Kafka, Message } from 'kafkajs';
import type { Dataset } from '../../../infra/tenant/types';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { HEADER_FILE, HEADER_INGEST_TS, HEADER_ROW } from '../../../ingest/src/kafka/dlq';
import { createIdempotentProducer } from '../../../ingest/src/kafka/producer';
import { KafkaSender } from '../../../ingest/src/pipeline/kafka-sender';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';

/** A message carrying `value` as is (e.g. bytes that are not Avro), keyed like a record. */
export interface RawValue {
  readonly raw: Buffer;
  readonly key: string;
}

export async function produceRecords(kafka: Kafka, dataset: Dataset, records: Iterable<Record<string, unknown> | RawValue>, file = 'test.csv'): Promise<number> {
  const codec = createAvroCodec(dataset);
  const keyOf = primaryKeyOf(dataset);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  try {
    const sender = new KafkaSender(producer);
    let row = 0;
    for (const r of records) {
      row++;
      const message: Message = 'raw' in r && Buffer.isBuffer(r.raw)
        ? { key: (r as RawValue).key, value: (r as RawValue).raw }
        : { key: keyOf(r as Record<string, unknown>), value: codec.encode(r as Record<string, unknown>) };
      message.headers = { [HEADER_FILE]: file, [HEADER_ROW]: String(row), [HEADER_INGEST_TS]: String(Date.now()) };
      await sender.add(dataset.topics.main, message);
    }
    await sender.flush();
    return row;
  } finally {
    await producer.disconnect();
  }
}

/** client_a rows: `provinces` partitions, devices spread over them, deterministic. */
export function* speedRows(count: number, provinces = 20, version = 0): Generator<Record<string, unknown>> {
  for (let i = 0; i < count; i++) {
    yield {
      PROVINCECODE: `P${String(i % provinces).padStart(2, '0')}`,
      DEVICEID: `D${Math.floor(i / provinces)}`,
      IFINDEX: i,
      FRAME: 1,
      SLOT: 2,
      PORT: 3,
      ONUINDEX: 4,
      ONUID: i % 7,
      TIME: `2019-06-20 0${version}:00:00`,
      SPEEDIN: i + version / 10,
      SPEEDOUT: i * 2,
    };
  }
}
