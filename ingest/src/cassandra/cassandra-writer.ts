import * as cassandra from 'cassandra-driver';
import { quoteIdent } from '../../../infra/cql/ddl';
import type { Dataset } from '../../../infra/tenant/types';
import { EngineError, InputError, MysimbdpError } from '../../../infra/errors';
import { isRetriable, retry } from '../retry';
import { readLiveTable } from './provisioner';
import { createRowConverter, type RowConverter } from './row-converter';

export interface CassandraWriterOptions {
  /** Statements (single INSERTs or batches) in flight at once. @default 64 */
  readonly concurrency?: number;
  /** Rows per single-partition unlogged batch. @default 200 */
  readonly maxBatchRows?: number;
  /** Estimated payload bytes per batch before it is split. @default 262144 */
  readonly maxBatchBytes?: number;
  /**
   * Partitions one unlogged batch may cover, when every partition has the same replicas (see
   * `sameReplicas`): one-row partitions then travel many to a statement, as cqlsh COPY sends them.
   * @default 1
   */
  readonly maxBatchPartitions?: number;
  /** Attempts per statement on transient errors (timeouts, overload, unavailable), the first included. @default 5 */
  readonly attempts?: number;
  /** First retry delay, doubled each attempt (full jitter). @default 100 */
  readonly baseDelayMs?: number;
  /** Ceiling of one retry delay. @default 5000 */
  readonly maxDelayMs?: number;
  /** Told about each retry, for logs and metrics. @default none */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** A row that Cassandra will never accept as it is (goes to the DLQ). */
export interface RowFailure {
  /** Index of the row in the array given to `write`. */
  readonly index: number;
  readonly error: InputError;
}

export interface WriteResult {
  /** Rows written. */
  readonly rows: number;
  /** Distinct partition keys among the rows. */
  readonly partitions: number;
  /** Statements sent (an unlogged batch counts once). */
  readonly statements: number;
  readonly failures: readonly RowFailure[];
}

interface PendingRow {
  readonly index: number;
  readonly params: unknown[];
  /** Write timestamp in µs, when the caller gave one. */
  readonly timestamp?: number;
}

const codes = cassandra.types.responseErrorCodes;
/** Server answers that say "try again later": the write may not have happened, and upserts are safe to repeat. */
const TRANSIENT_CODES = new Set<number>([codes.unavailableException, codes.overloaded, codes.isBootstrapping, codes.writeTimeout, codes.readTimeout]);

/** Transient: network-level failures (retry.ts) or a coordinator's timeout/overload/unavailable answer. */
export function isTransientCassandraError(err: unknown): boolean {
  if (err instanceof cassandra.errors.ResponseError) return TRANSIENT_CODES.has(err.code);
  return isRetriable(err);
}

/** Errors caused by one row's values: the driver cannot encode them, or the server calls them invalid. */
function isRowError(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof cassandra.errors.ResponseError && err.code === codes.invalid);
}

function estimateBytes(params: readonly unknown[]): number {
  let bytes = 0;
  for (const v of params) bytes += typeof v === 'string' ? v.length : Buffer.isBuffer(v) ? v.length : 16;
  return bytes;
}

/** Checks options once; messages name the option and the value. */
function resolveOptions(options: CassandraWriterOptions): Required<Omit<CassandraWriterOptions, 'onRetry'>> & Pick<CassandraWriterOptions, 'onRetry'> {
  const resolved = {
    concurrency: options.concurrency ?? 64,
    maxBatchRows: options.maxBatchRows ?? 200,
    maxBatchBytes: options.maxBatchBytes ?? 262_144,
    maxBatchPartitions: options.maxBatchPartitions ?? 1,
    attempts: options.attempts ?? 5,
    baseDelayMs: options.baseDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 5000,
    onRetry: options.onRetry,
  };
  for (const key of ['concurrency', 'maxBatchRows', 'maxBatchBytes', 'maxBatchPartitions', 'attempts'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new RangeError(`CassandraWriter: ${key} must be an integer >= 1, got ${resolved[key]}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new RangeError(`CassandraWriter: ${key} must be a number >= 0, got ${resolved[key]}`);
  }
  return resolved;
}

/**
 * Writes decoded records of one dataset into its table: one prepared INSERT (every column quoted),
 * rows sharing a partition key grouped into unlogged single-partition batches (one mutation per
 * partition on the replica: the big win for few-partition keys such as client_a's PROVINCECODE),
 * at most `concurrency` statements in flight, transient errors retried through retry.ts.
 * Rows that can never be written come back as `failures`; anything else throws an EngineError.
 */
export class CassandraWriter {
  /** The prepared statement of this dataset: the write's own time. */
  readonly insertCql: string;
  /** The same with the caller's write timestamp (`USING TIMESTAMP ?`, the last bound value). */
  readonly insertAtCql: string;
  private readonly convert: RowConverter;
  private readonly options: ReturnType<typeof resolveOptions>;
  private readonly table: string;

  constructor(
    private readonly client: cassandra.Client,
    private readonly dataset: Dataset,
    options: CassandraWriterOptions = {},
  ) {
    this.options = resolveOptions(options);
    this.convert = createRowConverter(dataset);
    this.table = `${dataset.keyspace}.${dataset.table}`;
    const columns = dataset.fields.map((f) => quoteIdent(f.name));
    this.insertCql = `INSERT INTO ${quoteIdent(dataset.keyspace)}.${quoteIdent(dataset.table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    this.insertAtCql = `${this.insertCql} USING TIMESTAMP ?`;
  }

  /**
   * Checks that the table exists with every column of the contract, so a missing `provision`
   * stops the sink instead of sending every row to the DLQ.
   */
  async checkTable(): Promise<void> {
    const live = await readLiveTable(this.client, this.dataset.keyspace, this.dataset.table);
    if (live === undefined) throw new EngineError(`table ${this.table} does not exist: run mysimbdp provision first`, { context: { dataset: this.dataset.name } });
    const present = new Set(live.columns.map((c) => c.name));
    const missing = this.dataset.fields.filter((f) => !present.has(f.name)).map((f) => f.name);
    if (missing.length > 0) {
      throw new EngineError(`table ${this.table} lacks column(s) ${missing.join(', ')}: run mysimbdp provision first`, { context: { dataset: this.dataset.name } });
    }
  }

  /**
   * Writes the rows (callers pass at most one version per primary key: later versions would race).
   * With `timestamps` (µs, one per row) each row is written at its own timestamp, so that of two
   * versions the one with the higher timestamp wins whatever order the writes arrive in.
   */
  async write(records: readonly Readonly<Record<string, unknown>>[], timestamps?: readonly number[]): Promise<WriteResult> {
    if (timestamps !== undefined && timestamps.length !== records.length) throw new RangeError(`CassandraWriter.write: ${timestamps.length} timestamps for ${records.length} rows`);
    const failures: RowFailure[] = [];
    const partitions = new Map<string, PendingRow[]>();
    records.forEach((record, index) => {
      let params: unknown[];
      try {
        params = this.convert(record);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        failures.push({ index, error: err });
        return;
      }
      const key = JSON.stringify(this.dataset.partitionKey.map((name) => record[name]));
      const row: PendingRow = timestamps === undefined ? { index, params } : { index, params, timestamp: timestamps[index] as number };
      const rows = partitions.get(key);
      if (rows === undefined) partitions.set(key, [row]);
      else rows.push(row);
    });
    const chunks = this.options.maxBatchPartitions > 1 ? this.pack([...partitions.values()]) : [...partitions.values()].flatMap((rows) => this.chunk(rows));
    const converted = failures.length;
    await runLimited(chunks, this.options.concurrency, (chunk) => this.writeChunk(chunk, failures));
    // A dropped table or column makes every row "invalid": stop instead of sending them all to the DLQ.
    if (failures.length > converted) await this.checkTable();
    failures.sort((a, b) => a.index - b.index);
    return { rows: records.length - failures.length, partitions: partitions.size, statements: chunks.length, failures };
  }

  /**
   * Packs whole partitions into batches of at most `maxBatchPartitions` partitions within the row and
   * byte limits; a partition too big for one batch is split on its own.
   */
  private pack(partitions: readonly PendingRow[][]): PendingRow[][] {
    const { maxBatchRows, maxBatchBytes, maxBatchPartitions } = this.options;
    const chunks: PendingRow[][] = [];
    let current: PendingRow[] = [];
    let bytes = 0;
    let count = 0;
    for (const rows of partitions) {
      const size = rows.reduce((n, r) => n + estimateBytes(r.params), 0);
      if (rows.length > maxBatchRows || size > maxBatchBytes) {
        chunks.push(...this.chunk(rows));
        continue;
      }
      if (count > 0 && (count >= maxBatchPartitions || current.length + rows.length > maxBatchRows || bytes + size > maxBatchBytes)) {
        chunks.push(current);
        current = [];
        bytes = 0;
        count = 0;
      }
      current.push(...rows);
      bytes += size;
      count++;
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  /** Splits one partition's rows into batches within the row and byte limits. */
  private chunk(rows: readonly PendingRow[]): PendingRow[][] {
    if (rows.length === 1) return [[...rows]];
    const chunks: PendingRow[][] = [];
    let current: PendingRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const size = estimateBytes(row.params);
      if (current.length > 0 && (current.length >= this.options.maxBatchRows || bytes + size > this.options.maxBatchBytes)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(row);
      bytes += size;
    }
    chunks.push(current);
    return chunks;
  }

  private async send(rows: readonly PendingRow[]): Promise<void> {
    const { attempts, baseDelayMs, maxDelayMs, onRetry } = this.options;
    await retry(
      () =>
        rows.length === 1
          ? this.client.execute(...this.statement(rows[0]!), { prepare: true, isIdempotent: true })
          : this.client.batch(
              rows.map((r) => {
                const [query, params] = this.statement(r);
                return { query, params };
              }),
              { prepare: true, logged: false, isIdempotent: true },
            ),
      { attempts, baseDelayMs, maxDelayMs, retryOn: isTransientCassandraError, ...(onRetry === undefined ? {} : { onRetry }) },
    );
  }

  /** Sends a chunk; when Cassandra rejects it for its values, retries row by row to isolate the bad ones. */
  private async writeChunk(rows: readonly PendingRow[], failures: RowFailure[]): Promise<void> {
    try {
      await this.send(rows);
      return;
    } catch (err) {
      if (!isRowError(err)) throw this.engineError(err);
      if (rows.length === 1) {
        failures.push({ index: rows[0]!.index, error: this.rowError(err) });
        return;
      }
    }
    for (const row of rows) {
      try {
        await this.send([row]);
      } catch (err) {
        if (!isRowError(err)) throw this.engineError(err);
        failures.push({ index: row.index, error: this.rowError(err) });
      }
    }
  }

  private statement(row: PendingRow): [string, unknown[]] {
    return row.timestamp === undefined ? [this.insertCql, row.params] : [this.insertAtCql, [...row.params, cassandra.types.Long.fromNumber(row.timestamp)]];
  }

  private rowError(err: unknown): InputError {
    return new InputError(`rejected by Cassandra (${this.table}): ${(err as Error).message}`, { cause: err, context: { dataset: this.dataset.name } });
  }

  private engineError(err: unknown): MysimbdpError {
    if (err instanceof MysimbdpError) return err;
    return new EngineError(`write to ${this.table} failed: ${(err as Error).message}`, {
      cause: err,
      retriable: isTransientCassandraError(err),
      context: { dataset: this.dataset.name },
    });
  }
}

/**
 * Runs `fn` over the items with at most `limit` in flight. On the first error no new item starts;
 * the ones in flight finish (nothing left running in the background), then the error is thrown.
 */
export async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed.error;
}
