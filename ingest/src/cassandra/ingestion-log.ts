import * as cassandra from 'cassandra-driver';
import { InputError } from '../../../infra/errors';
import { quoteIdent } from '../../../infra/cql/ddl';
import { PLATFORM_TABLE_PREFIX } from '../../../infra/tenant/rules/keyspace';
import type { Tenant } from '../../../infra/tenant/types';

export const FILE_OUTCOMES = ['archived', 'failed', 'refused', 'skipped'] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

/** One file handled by batch or stream: a row of `<keyspace>.mysimbdp_ingestion_log`. */
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

/**
 * The log lives in each dataset's own keyspace, so a tenant's role, granted on its keyspaces only,
 * reaches its log and no other tenant's. Partitioned by tenant (a keyspace has one tenant) so stats
 * read one partition; clustered by dataset and newest file first. `ingested_files` answers "was
 * this exact content archived already?" by key lookup.
 */
export const LOG_TABLES = {
  log: `${PLATFORM_TABLE_PREFIX}ingestion_log`,
  files: `${PLATFORM_TABLE_PREFIX}ingested_files`,
} as const;

/** CREATE TABLE statements of the log in `keyspace` (idempotent). */
export function ingestionLogTablesCql(keyspace: string): string[] {
  const ks = quoteIdent(keyspace);
  return [
    `CREATE TABLE IF NOT EXISTS ${ks}.${LOG_TABLES.log} (
  client text, dataset text, started_at timestamp, file text, file_sha256 text, finished_at timestamp,
  duration_ms bigint, bytes bigint, rows_ok bigint, rows_rejected bigint, rows_deduplicated bigint,
  outcome text, reason text, quality map<text, int>,
  PRIMARY KEY ((client), dataset, started_at, file)
) WITH CLUSTERING ORDER BY (dataset ASC, started_at DESC, file ASC)`,
    `CREATE TABLE IF NOT EXISTS ${ks}.${LOG_TABLES.files} (
  client text, dataset text, file_sha256 text, file text, archived_at timestamp,
  PRIMARY KEY ((client, dataset), file_sha256)
)`,
  ];
}

const COLUMNS =
  'client, dataset, started_at, file, file_sha256, finished_at, duration_ms, bytes, rows_ok, rows_rejected, rows_deduplicated, outcome, reason, quality';

const COUNTS = ['durationMs', 'bytes', 'rowsOk', 'rowsRejected', 'rowsDeduplicated'] as const;

/** The ingestion log of the given tenants: one row per file handled, in each dataset's keyspace; read by `stats`. */
export class IngestionLog {
  /** `client` → dataset → keyspace */
  readonly #keyspaces: ReadonlyMap<string, ReadonlyMap<string, string>>;

  /** The tables must exist: `provision` creates them (`ingestionLogTablesCql`) with each dataset's table. */
  constructor(
    private readonly client: cassandra.Client,
    tenants: readonly Pick<Tenant, 'client' | 'datasets'>[],
  ) {
    this.#keyspaces = new Map(tenants.map((t) => [t.client, new Map(t.datasets.map((d) => [d.name, d.keyspace]))]));
  }

  #keyspace(client: string, dataset: string): string {
    const keyspace = this.#keyspaces.get(client)?.get(dataset);
    if (keyspace === undefined) throw new InputError(`ingestion log: tenant ${client} has no dataset "${dataset}"`, { context: { tenant: client, dataset } });
    return quoteIdent(keyspace);
  }

  /** Writes one file's row (and, for an archived file, its content hash for `wasIngested`). */
  async recordFile(entry: FileLogEntry): Promise<void> {
    checkEntry(entry);
    const ks = this.#keyspace(entry.client, entry.dataset);
    const queries: { query: string; params: unknown[] }[] = [
      {
        query: `INSERT INTO ${ks}.${LOG_TABLES.log} (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
        query: `INSERT INTO ${ks}.${LOG_TABLES.files} (client, dataset, file_sha256, file, archived_at) VALUES (?, ?, ?, ?, ?)`,
        params: [entry.client, entry.dataset, entry.fileSha256, entry.file, entry.finishedAt],
      });
    }
    // Logged batch: the log row and the hash lookup land together or not at all.
    await this.client.batch(queries, { prepare: true, logged: queries.length > 1 });
  }

  /** True when a file with this SHA-256 was already archived for this tenant dataset. */
  async wasIngested(client: string, dataset: string, sha256: string): Promise<boolean> {
    const result = await this.client.execute(
      `SELECT file FROM ${this.#keyspace(client, dataset)}.${LOG_TABLES.files} WHERE client = ? AND dataset = ? AND file_sha256 = ?`,
      [client, dataset, sha256],
      { prepare: true },
    );
    return result.rowLength > 0;
  }

  /**
   * Streams matching rows page by page (bounded memory however long the log grows): one partition
   * read per tenant and keyspace, tenants in the order they were given.
   */
  async *list(filter: IngestionLogFilter = {}): AsyncIterable<FileLogEntry> {
    for (const [client, datasets] of this.#keyspaces) {
      if (filter.client !== undefined && client !== filter.client) continue;
      const keyspaces = new Set([...datasets].filter(([name]) => filter.dataset === undefined || name === filter.dataset).map(([, ks]) => ks));
      for (const keyspace of keyspaces) {
        const where = ['client = ?'];
        const params: unknown[] = [client];
        if (filter.dataset !== undefined) {
          where.push('dataset = ?');
          params.push(filter.dataset);
          if (filter.since !== undefined) {
            where.push('started_at >= ?');
            params.push(filter.since);
          }
        }
        const query = `SELECT ${COLUMNS} FROM ${quoteIdent(keyspace)}.${LOG_TABLES.log} WHERE ${where.join(' AND ')}`;
        const result = await this.client.execute(query, params, { prepare: true, fetchSize: 1000 });
        for await (const row of result) {
          const entry = toEntry(row);
          if (filter.since !== undefined && entry.startedAt < filter.since) continue;
          yield entry;
        }
      }
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
