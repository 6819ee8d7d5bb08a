import { formatFlag, parseFlags } from '../args';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog } from '../cassandra/ingestion-log';
import { engineSettings } from '../settings';
import { aggregateStats, formatStatsTable } from '../stats/ingestion-stats';

/**
 * `mysimbdp stats [--client ID] [--format text|json]`: per-tenant and whole-platform figures from
 * the ingestion log (files, files_failed, rows_ok, rows_rejected, bytes, rows/s, p50/p95 file time).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, { client: { type: 'string' }, format: { type: 'string' } });
  const format = formatFlag(flags.format);
  const settings = engineSettings();
  const client = createCassandraClient(settings);
  try {
    await connectCassandra(client, settings);
    const log = await IngestionLog.open(client);
    const report = await aggregateStats(log.list(flags.client === undefined ? {} : { client: flags.client }), flags.client);
    process.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatStatsTable(report));
    return 0;
  } finally {
    await client.shutdown();
  }
}
