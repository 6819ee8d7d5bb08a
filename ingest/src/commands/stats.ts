import { parseCommand } from '../args';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog } from '../cassandra/ingestion-log';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { engineSettings } from '../settings';
import { aggregateStats, formatStatsTable } from '../stats/ingestion-stats';

/**
 * `mysimbdp stats` (flags: cli-commands.ts): per-tenant and whole-platform
 * figures from the ingestion log in each tenant's keyspaces (files, files_failed, rows_ok,
 * rows_rejected, bytes, rows/s, p50/p95 file time).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('stats', argv);
  const { format } = flags;
  const all = loadTenantsOrThrow(flags.tenants);
  const tenants = flags.client === undefined ? all : [findTenant(all, flags.client)];
  const settings = engineSettings();
  const client = createCassandraClient(settings);
  try {
    await connectCassandra(client, settings);
    const log = new IngestionLog(client, tenants);
    const report = await aggregateStats(log.list(), flags.client);
    process.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatStatsTable(report));
    return 0;
  } finally {
    await client.shutdown();
  }
}
