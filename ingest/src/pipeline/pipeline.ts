import type { Dataset } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import { InputError } from '../../../infra/errors';
import { HEADER_FILE, HEADER_INGEST_TS, HEADER_ROW, toDlqMessage } from '../kafka/dlq';
import { HEADER_ORDER } from '../kafka/write-order';
import type { RawRecord, RecordBatches } from '../readers/raw-record';
import { Deduplicator } from '../wrangle/deduplicator';
import { primaryKeyOf } from '../wrangle/primary-key';
import { createRowConverter } from '../wrangle/row-converter';
import type { KafkaSender } from './kafka-sender';
import { createRecordProcessor, RULE_SCHEMA, type RecordProcessor } from './record-processor';
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
  /**
   * Opens the records; called once per pass, so it must yield the same records each time. The
   * de-duplication pass names the primary-key columns it reads: the others may come empty.
   */
  readonly records: (only?: readonly string[]) => RecordBatches;
  /** De-duplicate by primary key, the last row winning (reads the records twice). @default true */
  readonly deduplicate?: boolean;
  /** Instant quality rules and headers use. @default Date.now() */
  readonly now?: number;
  /** Each row's write timestamp in Cassandra, in µs (kafka/write-order.ts): one for the whole source, or per record. @default now × 1000 */
  readonly order?: number | ((rec: RawRecord) => number);
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
 * Repeated keys up to which pass 2 holds a key's latest valid version in memory until the key's last
 * row shows whether it is valid itself (at most this many rows held, a few MiB). More repeated keys
 * than that cost one more pass over the file instead of memory.
 */
export const HOLD_LIMIT = 5000;

/** What pass 1 learned for de-duplication. */
interface KeyPlan {
  readonly dedup: Deduplicator;
  /**
   * true: `dedup` knows the last row of every key that converts, valid or not, so pass 2 holds earlier
   * valid rows; false: it knows the last *valid* row of each key, and nothing is held.
   */
  readonly hold: boolean;
}

/**
 * Pass 1 parses and converts only the key columns, learning the last row of each key. A file whose
 * repeated keys fit HOLD_LIMIT goes straight to pass 2; otherwise a full validating pass learns the
 * last *valid* row of each key, so pass 2 never has to hold rows.
 */
async function planKeys(input: PipelineInput, process: RecordProcessor, keyOnly: (fields: RawRecord['fields']) => string | undefined, keyColumns: readonly string[]): Promise<KeyPlan> {
  const all = new Deduplicator();
  for await (const batch of input.records(keyColumns)) {
    for (const rec of batch) {
      const key = keyOnly(rec.fields);
      if (key !== undefined) all.observe(key, rec.record);
    }
  }
  if (all.repeatedKeys <= HOLD_LIMIT) return { dedup: all, hold: true };
  const valid = new Deduplicator();
  for await (const batch of input.records()) {
    for (const rec of batch) {
      const p = process(rec);
      if (p.ok) valid.observe(p.key, rec.record);
    }
  }
  return { dedup: valid, hold: false };
}

/**
 * THE pipeline: raw records → convert (Avro types) → wrangle → quality rules → valid rows to
 * `<client>.<dataset>` (Avro, Confluent wire format, keyed by primary key) and `onValid`; rejected
 * rows to `<client>.<dataset>.dlq` and `onRejected`. Returns once Kafka acknowledged every message.
 *
 * De-duplication keeps the last valid row of each key. Pass 1 (planKeys) learns where each key
 * occurs last; pass 2 does the work. A valid row of a key that occurs again later is held (only the
 * latest such row per key) until the key's last row: if that one is valid it wins and the held row
 * is dropped, if not the held row is sent then — so it may leave in a different order than read.
 */
export async function runPipeline(ctx: PipelineContext, input: PipelineInput): Promise<PipelineResult> {
  const { dataset, codec, sender } = ctx;
  const now = input.now ?? Date.now();
  const process = createRecordProcessor({ tenant: ctx.tenant, dataset, source: input.source, now });
  const convertKey = createRowConverter(dataset, { keyOnly: true });
  const keyOf = primaryKeyOf(dataset);
  const keyOnly = (fields: RawRecord['fields']): string | undefined => {
    if (fields === undefined) return undefined;
    const c = convertKey(fields);
    return c.row === undefined ? undefined : keyOf(c.row);
  };
  const plan = (input.deduplicate ?? true) ? await planKeys(input, process, keyOnly, [...dataset.partitionKey, ...dataset.clusteringKey]) : undefined;
  const held = new Map<string, { readonly row: Record<string, unknown>; readonly rec: RawRecord }>();

  // Constant per source: one Buffer each, shared by every message.
  const fileHeader = Buffer.from(input.source);
  const tsHeader = Buffer.from(String(now));
  const order = input.order ?? now * 1000;
  const sourceOrder = typeof order === 'number' ? Buffer.from(String(order)) : undefined;
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
  // Returns a promise only when something must be awaited (a dispatched batch, a full disk buffer,
  // a rejection): no promise, no microtask per row.
  const emit = (row: Record<string, unknown>, rec: RawRecord, key: string): Promise<void> | undefined => {
    let value: Buffer;
    try {
      value = codec.encode(row);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return rejectRow({ tenant: ctx.tenant, dataset: dataset.name, file: input.source, record: rec.record, reason: err.message, rule: RULE_SCHEMA, raw: rec.fields }, [RULE_SCHEMA]);
    }
    rowsOk++;
    const sent = sender.add(dataset.topics.main, {
      // a string: the partitioner and the record encoder read it in place
      key,
      value,
      headers: { [HEADER_FILE]: fileHeader, [HEADER_ROW]: String(rec.record), [HEADER_INGEST_TS]: tsHeader, [HEADER_ORDER]: typeof order === 'number' ? sourceOrder : String(order(rec)) },
    });
    if (sent !== undefined) return sent.then(() => input.onValid?.(row, rec));
    const written = input.onValid?.(row, rec);
    return written === undefined ? undefined : Promise.resolve(written);
  };

  for await (const batch of input.records()) {
    for (const rec of batch) {
      const p = process(rec);
      if (!p.ok) {
        await rejectRow(p.rejection, p.rules);
        if (held.size === 0) continue;
        // The key's last row is invalid: its held valid version wins after all.
        const key = keyOnly(rec.fields);
        const earlier = key === undefined ? undefined : held.get(key);
        if (key !== undefined && earlier !== undefined && plan!.dedup.isLast(key, rec.record)) {
          held.delete(key);
          const emitted = emit(earlier.row, earlier.rec, key);
          if (emitted !== undefined) await emitted;
        }
        continue;
      }
      if (plan !== undefined && !plan.dedup.isLast(p.key, rec.record)) {
        if (!plan.hold || held.has(p.key)) rowsDeduplicated++;
        if (plan.hold) held.set(p.key, { row: p.row, rec });
        continue;
      }
      if (held.delete(p.key)) rowsDeduplicated++;
      const emitted = emit(p.row, rec, p.key);
      if (emitted !== undefined) await emitted;
    }
  }
  // Empty unless the two passes read different records (input.records breaking its contract): sent, never dropped.
  for (const [key, { row, rec }] of held) await emit(row, rec, key);
  await sender.flush();
  return { rowsOk, rowsRejected, rowsDeduplicated, quality };
}
