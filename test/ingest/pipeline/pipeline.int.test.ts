import type { Admin, Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../../infra/tenant/types';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { createIdempotentProducer } from '../../../ingest/src/kafka/producer';
import { ensureTopics } from '../helpers/topics';
import { KafkaSender } from '../../../ingest/src/pipeline/kafka-sender';
import { HOLD_LIMIT, runPipeline, type PipelineResult } from '../../../ingest/src/pipeline/pipeline';
import type { RawRecord } from '../../../ingest/src/readers/raw-record';
import { clientA } from '../helpers/datasets';
import { uniqueSuffix } from '../helpers/tenant-dirs';

// De-duplication of runPipeline against the real Kafka: which version of a repeated key is sent,
// and the counts, in both modes (rows held in memory, and the extra validating pass).

let kafka: Kafka;
let admin: Admin;
let producer: Producer;

beforeAll(async () => {
  kafka = createKafka(`pipeline-int-${uniqueSuffix()}`);
  admin = kafka.admin();
  producer = createIdempotentProducer(kafka);
  await Promise.all([admin.connect(), producer.connect()]);
});
afterAll(async () => {
  await Promise.all([admin.disconnect(), producer.disconnect()]);
});

/** One client_a row: key (P, D, onu); `speed` tells the versions apart; `bad` breaks a non-key field. */
function row(p: string, d: string, onu: number, speed: number, bad = false): Record<string, string> {
  return { PROVINCECODE: p, DEVICEID: d, IFINDEX: '1', FRAME: '1', SLOT: '1', PORT: '1', ONUINDEX: '1', ONUID: String(onu), TIME: '2024-01-01 00:00:00', SPEEDIN: bad ? 'fast' : String(speed), SPEEDOUT: '0' };
}

interface Run {
  readonly result: PipelineResult;
  /** `P/D/ONUID=SPEEDIN` of every row sent, in send order. */
  readonly sent: string[];
  readonly dataset: Dataset;
}

async function run(rows: readonly Record<string, string>[]): Promise<Run> {
  const id = `pl_${uniqueSuffix()}`;
  const dataset = clientA({ topics: { main: `${id}.speed`, raw: `${id}.speed.raw`, dlq: `${id}.speed.dlq` } });
  await ensureTopics(kafka, dataset);
  const records: RawRecord[] = rows.map((fields, i) => ({ record: i + 1, line: i + 2, fields }));
  const sent: string[] = [];
  const result = await runPipeline(
    { tenant: 'client_a', dataset, codec: createAvroCodec(dataset), sender: new KafkaSender(producer) },
    {
      source: 'dups.csv',
      // batches of 7 records, as a reader would yield them
      records: async function* () {
        for (let i = 0; i < records.length; i += 7) yield records.slice(i, i + 7);
      },
      onValid: (r) => void sent.push(`${String(r.PROVINCECODE)}/${String(r.DEVICEID)}/${String(r.ONUID)}=${String(r.SPEEDIN)}`),
    },
  );
  return { result, sent, dataset };
}

async function messages(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high), 0);
}

describe('runPipeline de-duplication (real Kafka)', () => {
  it('sends the last valid version of each key, also when the last row of a key is invalid', async () => {
    const { result, sent, dataset } = await run([
      row('P1', 'D1', 1, 1), // superseded by 3
      row('P2', 'D2', 2, 1), // wins: its later row is invalid
      row('P1', 'D1', 1, 2), // superseded by 3
      row('P3', 'D3', 3, 1), // superseded by 5
      row('P2', 'D2', 2, 9, true), // invalid last row of P2
      row('P1', 'D1', 1, 3), // last of P1
      row('P3', 'D3', 3, 5), // wins: the last valid row of P3
      row('P4', 'D4', 4, 1), // unique
      row('P3', 'D3', 3, 9, true), // invalid last row of P3
    ]);
    await expect(sent.sort()).toEqual(['P1/D1/1=3', 'P2/D2/2=1', 'P3/D3/3=5', 'P4/D4/4=1']);
    await expect(result).toEqual({ rowsOk: 4, rowsRejected: 2, rowsDeduplicated: 3, quality: { schema: 2 } });
    await expect(messages(dataset.topics.main)).resolves.toBe(4);
    await expect(messages(dataset.topics.dlq)).resolves.toBe(2);
  });

  it(`gives the same answer with more than HOLD_LIMIT (${HOLD_LIMIT}) repeated keys, through the validating pass`, async () => {
    const keys = HOLD_LIMIT + 1;
    const rows: Record<string, string>[] = [];
    for (let k = 0; k < keys; k++) rows.push(row('P1', `D${k}`, k, 1));
    // the second copy of every tenth key is invalid, so its first copy must win
    for (let k = 0; k < keys; k++) rows.push(row('P1', `D${k}`, k, 2, k % 10 === 0));
    const { result, sent, dataset } = await run(rows);
    const invalid = Math.ceil(keys / 10);
    await expect(result).toEqual({ rowsOk: keys, rowsRejected: invalid, rowsDeduplicated: keys - invalid, quality: { schema: invalid } });
    await expect(sent.filter((s) => s.endsWith('=1'))).toHaveLength(invalid);
    await expect(sent.includes('P1/D0/0=1') && sent.includes('P1/D1/1=2') && !sent.includes('P1/D1/1=1')).toBe(true);
    await expect(messages(dataset.topics.main)).resolves.toBe(keys);
  });

  it('sends every row when de-duplication is off', async () => {
    const id = `pl_${uniqueSuffix()}`;
    const dataset = clientA({ topics: { main: `${id}.speed`, raw: `${id}.speed.raw`, dlq: `${id}.speed.dlq` } });
    await ensureTopics(kafka, dataset);
    const result = await runPipeline(
      { tenant: 'client_a', dataset, codec: createAvroCodec(dataset), sender: new KafkaSender(producer) },
      { source: 'raw@0', deduplicate: false, records: async function* () { yield [1, 2].map((v, i) => ({ record: i + 1, line: i + 1, fields: row('P1', 'D1', 1, v) })); } },
    );
    await expect(result).toEqual({ rowsOk: 2, rowsRejected: 0, rowsDeduplicated: 0, quality: {} });
    await expect(messages(dataset.topics.main)).resolves.toBe(2);
  });
});
