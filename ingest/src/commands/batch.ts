import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { createAvroCodec } from '../avro/avro-codec';
import { runBatch, unhandled } from '../batch/batch-run';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog } from '../cassandra/ingestion-log';
import { createKafka } from '../kafka/kafka-client';
import { createIdempotentProducer } from '../kafka/producer';
import { requireTopics, withAdmin } from '../kafka/topics';
import { createLogger } from '../log';
import { Progress } from '../progress';
import { engineSettings, intSetting } from '../settings';
import { stagingLayout } from '../staging/staging-layout';

/** `mysimbdp batch` (flags: cli-commands.ts): ingests what is in `{SOURCE_PATH}/{CLIENT_ID}/in` once. */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('batch', argv);
  const { client, source: sourcePath } = flags;
  const intervalMs = intSetting(flags['progress-seconds'], '--progress-seconds', 0) * 1000;
  const tenant = findTenant(loadTenantsOrThrow(flags.tenants), client);
  const dataset = findDataset(tenant, flags.dataset);
  const logger = createLogger({ command: 'batch', tenant: client, dataset: dataset.name });
  const settings = engineSettings();

  const cassandra = createCassandraClient(settings);
  const kafka = createKafka(`mysimbdp-batch-${client}`, settings);
  const producer = createIdempotentProducer(kafka);
  try {
    await withAdmin(kafka, (admin) => requireTopics(admin, [dataset.topics.main, dataset.topics.dlq], { tenant: client, dataset: dataset.name }));
    await connectCassandra(cassandra, settings);
    const ingestionLog = new IngestionLog(cassandra, [tenant]);
    await producer.connect();
    const started = Date.now();
    const summary = await runBatch({
      tenant, dataset, layout: stagingLayout(sourcePath, client, dataset), codec: createAvroCodec(dataset), producer, ingestionLog, logger,
      progress: (file, bytes) => new Progress({ label: file, fields: { file }, totalBytes: bytes, intervalMs, logger }),
    });
    const notHandled = unhandled(summary);
    const rows = summary.files.reduce((n, f) => n + f.rowsOk, 0);
    logger.info('batch done', {
      files: summary.files.length, files_failed: notHandled.length, refused: summary.refused.length, deferred: summary.deferred,
      rows_ok: rows, rows_rejected: summary.files.reduce((n, f) => n + f.rowsRejected, 0), duration_ms: Date.now() - started,
    });
    return notHandled.length === 0 ? 0 : 1;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await cassandra.shutdown().catch(() => undefined);
  }
}
