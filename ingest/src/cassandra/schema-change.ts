import type * as cassandra from 'cassandra-driver';
import { EngineError } from '../../../infra/errors';
import { retry } from '../retry';

export interface SchemaChangeOptions {
  /** How long to wait for all nodes to agree on the schema after the changes. @default 60000 */
  readonly agreementTimeoutMs?: number;
  /** Poll interval while waiting for agreement. @default 500 */
  readonly pollMs?: number;
}

/**
 * Runs DDL statements one after the other (each retried on transient errors; statements are
 * expected to be idempotent, e.g. `IF NOT EXISTS`), then waits until every node reports the same
 * schema version, so the next writer never sees a half-propagated table.
 */
export async function applySchemaChanges(client: cassandra.Client, statements: readonly string[], options: SchemaChangeOptions = {}): Promise<void> {
  for (const statement of statements) {
    await retry(async () => {
      try {
        await client.execute(statement, [], { prepare: false });
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        throw new EngineError(`schema change failed: ${statement}: ${(err as Error).message}`, {
          cause: err,
          retriable: ['NoHostAvailableError', 'OperationTimedOutError', 'BusyConnectionError'].includes(name),
        });
      }
    }, { attempts: 4 });
  }
  if (statements.length > 0) await awaitSchemaAgreement(client, options);
}

/** Polls the cluster until all nodes agree on the schema version; a retriable EngineError on timeout. */
export async function awaitSchemaAgreement(client: cassandra.Client, options: SchemaChangeOptions = {}): Promise<void> {
  const timeoutMs = options.agreementTimeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const deadline = Date.now() + timeoutMs;
  // checkSchemaAgreement exists in driver 4.x but is missing from its typings.
  const metadata = client.metadata as cassandra.metadata.Metadata & { checkSchemaAgreement(): Promise<boolean> };
  while (!(await metadata.checkSchemaAgreement())) {
    if (Date.now() >= deadline) {
      throw new EngineError(`Cassandra nodes did not agree on the schema within ${timeoutMs} ms`, { retriable: true });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
