import type { Dataset } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import { InputError } from '../errors';
import { HEADER_FILE, HEADER_INGEST_TS, HEADER_ROW, toDlqMessage } from '../kafka/dlq';
import type { RawRecord, RecordBatches } from '../readers/raw-record';
import { Deduplicator } from '../wrangle/deduplicator';
import type { KafkaSender } from './kafka-sender';
import { createRecordProcessor, RULE_SCHEMA } from './record-processor';
import type { Rejection } from './rejection';

export interface PipelineContext {
  /** Client id. */
  readonly tenant: string;
  readonly dataset: Dataset;
  readonly codec: AvroCodec;
  readonly sender: KafkaSender;
}

export interface PipelineInput {
  /** File name (or `<topic>@<partition>`) for headers, rejections and logs. */
  readonly source: string;
  /** Opens the records; called once per pass, so it must yield the same records each time. */
  readonly records: () => RecordBatches;
  /** De-duplicate by primary key, the last row winning (reads the records twice). @default true */
  readonly deduplicate?: boolean;
  /** Instant quality rules and headers use. @default Date.now() */
  readonly now?: number;
  /** Each row sent to Kafka, in order (the out/ file); a returned promise is awaited (backpressure). */
  readonly onValid?: (row: Readonly<Record<string, unknown>>, rec: RawRecord) => void | Promise<void>;
  /** Each rejected row (the quarantine file); it also goes to the `.dlq` topic. */
  readonly onRejected?: (rejection: Rejection) => void | Promise<void>;
}

export interface PipelineResult {
  readonly rowsOk: number;
  readonly rowsRejected: number;
  /** Valid rows dropped because a later row had the same primary key. */
  readonly rowsDeduplicated: number;
  /** Rows failing each rule (`parse`, `schema`, or a quality rule's name). */
  readonly quality: Record<string, number>;
}

/**
 * THE pipeline: raw records → convert (Avro types) → wrangle → quality rules → valid rows to
 * `<client>.<dataset>` (Avro, Confluent wire format, keyed by primary key) and `onValid`; rejected
 * rows to `<client>.<dataset>.dlq` and `onRejected`. Returns once Kafka acknowledged every message.
 * With de-duplication, pass 1 only learns which row of each key is last; pass 2 does the work.
 */
export async function runPipeline(ctx: PipelineContext, input: PipelineInput): Promise<PipelineResult> {
  const { dataset, codec, sender } = ctx;
  const now = input.now ?? Date.now();
  const process = createRecordProcessor({ tenant: ctx.tenant, dataset, source: input.source, now });
  const dedup = (input.deduplicate ?? true) ? new Deduplicator() : undefined;

  if (dedup !== undefined) {
    for await (const batch of input.records()) {
      for (const rec of batch) {
        const p = process(rec);
        if (p.ok) dedup.observe(p.key, rec.record);
      }
    }
  }

  // Constant per source: one Buffer each, shared by every message.
  const fileHeader = Buffer.from(input.source);
  const tsHeader = Buffer.from(String(now));
  const quality: Record<string, number> = {};
  let rowsOk = 0;
  let rowsRejected = 0;
  let rowsDeduplicated = 0;
  const rejectRow = async (rejection: Rejection, rules: readonly string[]): Promise<void> => {
    rowsRejected++;
    for (const rule of rules) quality[rule] = (quality[rule] ?? 0) + 1;
    await input.onRejected?.(rejection);
    await sender.add(dataset.topics.dlq, toDlqMessage(rejection, now));
  };

  for await (const batch of input.records()) {
    for (const rec of batch) {
      const p = process(rec);
      if (!p.ok) {
        await rejectRow(p.rejection, p.rules);
        continue;
      }
      if (dedup !== undefined && !dedup.isLast(p.key, rec.record)) {
        rowsDeduplicated++;
        continue;
      }
      let value: Buffer;
      try {
        value = codec.encode(p.row);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        await rejectRow({ tenant: ctx.tenant, dataset: dataset.name, file: input.source, record: rec.record, reason: err.message, rule: RULE_SCHEMA, raw: rec.fields }, [RULE_SCHEMA]);
        continue;
      }
      rowsOk++;
      // Awaited only when they return a promise (a dispatched batch, a full disk buffer): no microtask per row.
      const sent = sender.add(dataset.topics.main, {
        key: Buffer.from(p.key),
        value,
        headers: { [HEADER_FILE]: fileHeader, [HEADER_ROW]: String(rec.record), [HEADER_INGEST_TS]: tsHeader },
      });
      if (sent !== undefined) await sent;
      const written = input.onValid?.(p.row, rec);
      if (written !== undefined) await written;
    }
  }
  await sender.flush();
  return { rowsOk, rowsRejected, rowsDeduplicated, quality };
}
