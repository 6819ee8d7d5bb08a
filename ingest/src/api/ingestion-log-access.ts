import type * as cassandra from 'cassandra-driver';
import type { Tenant } from '../../../infra/tenant/types';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog, type FileLogEntry, type IngestionLogFilter } from '../cassandra/ingestion-log';
import type { EngineSettings } from '../settings';

/** What the API reads of the ingestion log (IngestionLog has it). */
export interface IngestionLogSource {
  list(filter?: IngestionLogFilter): AsyncIterable<FileLogEntry>;
}

/** Time after a failed connection during which requests fail at once instead of trying again. */
export const RECONNECT_AFTER_MS = 10_000;

/**
 * The ingestion log for the API: connects on first read, not at start, so the upload API serves
 * uploads and file states while Cassandra is away; after a failed connection it tries again on a
 * read at least RECONNECT_AFTER_MS later, with a fresh client.
 */
export class LazyIngestionLog implements IngestionLogSource {
  #client: cassandra.Client | undefined;
  #log: Promise<IngestionLog> | undefined;
  #failed: { readonly at: number; readonly error: Error } | undefined;

  constructor(
    private readonly settings: EngineSettings,
    private readonly tenants: readonly Tenant[],
    private readonly now: () => number = Date.now,
  ) {}

  async *list(filter?: IngestionLogFilter): AsyncIterable<FileLogEntry> {
    yield* (await this.#connected()).list(filter);
  }

  async close(): Promise<void> {
    await this.#client?.shutdown();
  }

  #connected(): Promise<IngestionLog> {
    if (this.#failed !== undefined && this.now() - this.#failed.at < RECONNECT_AFTER_MS) return Promise.reject(this.#failed.error);
    if (this.#log === undefined) {
      const client = createCassandraClient(this.settings);
      this.#client = client;
      this.#log = connectCassandra(client, this.settings).then(
        () => {
          this.#failed = undefined;
          return new IngestionLog(client, this.tenants);
        },
        async (err: unknown) => {
          this.#failed = { at: this.now(), error: err as Error };
          this.#log = undefined;
          this.#client = undefined;
          await client.shutdown().catch(() => undefined);
          throw err;
        },
      );
    }
    return this.#log;
  }
}
