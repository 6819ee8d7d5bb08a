import * as cassandra from 'cassandra-driver';
import { InputError } from '../../../infra/errors';
import { OPERATIONS_KEYSPACE } from '../../../infra/tenant/rules/keyspace';
import { engineSettings, intSetting, setting } from '../settings';
import { applySchemaChanges } from './schema-change';

export const FILE_OUTCOMES = ['archived', 'failed', 'refused', 'skipped'] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

/** One file handled by batch or stream: a row of `mysimbdp_ops.ingestion_log`. */
export interface FileLogEntry {
  readonly client: string;
  readonly dataset: string;
  /** File name as it arrived in in/. */
  readonly file: string;
  /** Hex SHA-256 of the file's bytes. */
  readonly fileSha256: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly durationMs: number;
  readonly bytes: number;
  readonly rowsOk: number;
  readonly rowsRejected: number;
  /** Rows dropped because a later row of the same file had the same primary key. */
  readonly rowsDeduplicated: number;
  readonly outcome: FileOutcome;
  /** Why a file failed, was refused or skipped. */
  readonly reason?: string;
  /** Rows failing each quality rule or rejection reason. */
  readonly quality: Readonly<Record<string, number>>;
}

export interface IngestionLogFilter {
  /** Only this tenant's files. @default every tenant */
  readonly client?: string;
  /** Only this dataset's files. @default every dataset */
  readonly dataset?: string;
  /** Only files started at or after this instant. @default no lower bound */
  readonly since?: Date;
}

export interface IngestionLogOptions {
  /** Replication factor of `mysimbdp_ops` when it has to be created. @default CASSANDRA_REPLICATION_FACTOR, else 1 */
  readonly replicationFactor?: number;
  /** Data center the replicas go to. @default CASSANDRA_LOCAL_DC, else datacenter1 */
  readonly dataCenter?: string;
}

/**
 * Partitioned by tenant so per-tenant stats read one partition; clustered by dataset and newest
 * file first. `ingested_files` answers "was this exact content archived already?" by key lookup.
 */
const TABLES: Record<string, string> = {
  ingestion_log: `CREATE TABLE IF NOT EXISTS ${OPERATIONS_KEYSPACE}.ingestion_log (
  client text, dataset text, started_at timestamp, file text, file_sha256 text, finished_at timestamp,
  duration_ms bigint, bytes bigint, rows_ok bigint, rows_rejected bigint, rows_deduplicated bigint,
  outcome text, reason text, quality map<text, int>,
  PRIMARY KEY ((client), dataset, started_at, file)
) WITH CLUSTERING ORDER BY (dataset ASC, started_at DESC, file ASC)`,
  ingested_files: `CREATE TABLE IF NOT EXISTS ${OPERATIONS_KEYSPACE}.ingested_files (
  client text, dataset text, file_sha256 text, file text, archived_at timestamp,
  PRIMARY KEY ((client, dataset), file_sha256)
)`,
};

const COLUMNS =
  'client, dataset, started_at, file, file_sha256, finished_at, duration_ms, bytes, rows_ok, rows_rejected, rows_deduplicated, outcome, reason, quality';

const COUNTS = ['durationMs', 'bytes', 'rowsOk', 'rowsRejected', 'rowsDeduplicated'] as const;

/** The `mysimbdp_ops.ingestion_log` table: one row per file handled, read by `stats`. */
export class IngestionLog {
  private constructor(private readonly client: cassandra.Client) {}

  /** Creates the operations keyspace and tables when missing (checked first: no DDL when present). */
  static async open(client: cassandra.Client, options: IngestionLogOptions = {}): Promise<IngestionLog> {
    const existing = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [OPERATIONS_KEYSPACE], { prepare: true });
    const present = new Set(existing.rows.map((row) => String(row.get('table_name'))));
    const missing = Object.keys(TABLES).filter((table) => !present.has(table));
    if (missing.length > 0) {
      const replicationFactor =
        options.replicationFactor ?? intSetting(setting(undefined, 'CASSANDRA_REPLICATION_FACTOR', '1'), 'CASSANDRA_REPLICATION_FACTOR');
      const dataCenter = options.dataCenter ?? engineSettings().cassandraLocalDc;
      await applySchemaChanges(client, [
        `CREATE KEYSPACE IF NOT EXISTS ${OPERATIONS_KEYSPACE} WITH replication = {'class': 'NetworkTopologyStrategy', '${dataCenter}': ${replicationFactor}}`,
        ...missing.map((table) => TABLES[table] as string),
      ]);
    }
    return new IngestionLog(client);
  }

  /** Writes one file's row (and, for an archived file, its content hash for `wasIngested`). */
  async recordFile(entry: FileLogEntry): Promise<void> {
    checkEntry(entry);
    const queries: { query: string; params: unknown[] }[] = [
      {
        query: `INSERT INTO ${OPERATIONS_KEYSPACE}.ingestion_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        params: [
          entry.client, entry.dataset, entry.startedAt, entry.file, entry.fileSha256, entry.finishedAt,
          cassandra.types.Long.fromNumber(entry.durationMs), cassandra.types.Long.fromNumber(entry.bytes),
          cassandra.types.Long.fromNumber(entry.rowsOk), cassandra.types.Long.fromNumber(entry.rowsRejected),
          cassandra.types.Long.fromNumber(entry.rowsDeduplicated), entry.outcome, entry.reason ?? null, { ...entry.quality },
        ],
      },
    ];
    if (entry.outcome === 'archived') {
      queries.push({
        query: `INSERT INTO ${OPERATIONS_KEYSPACE}.ingested_files (client, dataset, file_sha256, file, archived_at) VALUES (?, ?, ?, ?, ?)`,
        params: [entry.client, entry.dataset, entry.fileSha256, entry.file, entry.finishedAt],
      });
    }
    // Logged batch: the log row and the hash lookup land together or not at all.
    await this.client.batch(queries, { prepare: true, logged: queries.length > 1 });
  }

  /** True when a file with this SHA-256 was already archived for this tenant dataset. */
  async wasIngested(client: string, dataset: string, sha256: string): Promise<boolean> {
    const result = await this.client.execute(
      `SELECT file FROM ${OPERATIONS_KEYSPACE}.ingested_files WHERE client = ? AND dataset = ? AND file_sha256 = ?`,
      [client, dataset, sha256],
      { prepare: true },
    );
    return result.rowLength > 0;
  }

  /** Streams matching rows page by page (bounded memory however long the log grows). */
  async *list(filter: IngestionLogFilter = {}): AsyncIterable<FileLogEntry> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.client !== undefined) {
      where.push('client = ?');
      params.push(filter.client);
      if (filter.dataset !== undefined) {
        where.push('dataset = ?');
        params.push(filter.dataset);
        if (filter.since !== undefined) {
          where.push('started_at >= ?');
          params.push(filter.since);
        }
      }
    }
    const query = `SELECT ${COLUMNS} FROM ${OPERATIONS_KEYSPACE}.ingestion_log${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
    const result = await this.client.execute(query, params, { prepare: true, fetchSize: 1000 });
    for await (const row of result) {
      const entry = toEntry(row);
      if (filter.dataset !== undefined && entry.dataset !== filter.dataset) continue;
      if (filter.since !== undefined && entry.startedAt < filter.since) continue;
      yield entry;
    }
  }
}

function checkEntry(entry: FileLogEntry): void {
  const context = { tenant: entry.client, dataset: entry.dataset, file: entry.file };
  if (!(FILE_OUTCOMES as readonly string[]).includes(entry.outcome)) {
    throw new InputError(`ingestion log entry for ${entry.file}: outcome must be one of ${FILE_OUTCOMES.join(', ')}, got "${entry.outcome}"`, { context });
  }
  for (const key of COUNTS) {
    const value = entry[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InputError(`ingestion log entry for ${entry.file}: ${key} must be a non-negative integer, got ${value}`, { context });
    }
  }
}

function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return value instanceof cassandra.types.Long ? value.toNumber() : Number(value);
}

function toEntry(row: cassandra.types.Row): FileLogEntry {
  const reason = row.get('reason') as string | null;
  const quality = (row.get('quality') ?? {}) as Record<string, number>;
  return {
    client: row.get('client') as string,
    dataset: row.get('dataset') as string,
    file: row.get('file') as string,
    fileSha256: (row.get('file_sha256') ?? '') as string,
    startedAt: row.get('started_at') as Date,
    finishedAt: (row.get('finished_at') ?? row.get('started_at')) as Date,
    durationMs: toNumber(row.get('duration_ms')),
    bytes: toNumber(row.get('bytes')),
    rowsOk: toNumber(row.get('rows_ok')),
    rowsRejected: toNumber(row.get('rows_rejected')),
    rowsDeduplicated: toNumber(row.get('rows_deduplicated')),
    outcome: row.get('outcome') as FileOutcome,
    ...(reason === null || reason === undefined ? {} : { reason }),
    quality: { ...quality },
  };
}
