import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { createAvroCodec } from '../avro/avro-codec';
import { runBatch, unhandled } from '../batch/batch-run';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog } from '../cassandra/ingestion-log';
import { createKafka } from '../kafka/kafka-client';
import { createIdempotentProducer } from '../kafka/producer';
import { requireTopics, withAdmin } from '../kafka/topics';
import { createLogger } from '../log';
import { DEFAULTS, engineSettings, requiredSetting, setting } from '../settings';
import { stagingLayout } from '../staging/staging-layout';

/**
 * `mysimbdp batch [--client ID] [--source DIR] [--dataset NAME] [--tenants DIR]` (env CLIENT_ID,
 * SOURCE_PATH, DATASET, TENANTS_DIR): ingests what is in `{SOURCE_PATH}/{CLIENT_ID}/in` once.
 * Exit 0 when every file was handled (even with rejected rows, or refused), 1 when one was not.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    client: { type: 'string' },
    source: { type: 'string' },
    dataset: { type: 'string' },
    tenants: { type: 'string' },
  });
  const client = requiredSetting(flags.client, 'client', 'CLIENT_ID');
  const sourcePath = setting(flags.source, 'SOURCE_PATH', DEFAULTS.sourcePath);
  const tenant = findTenant(loadTenantsOrThrow(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir)), client);
  const datasetName = flags.dataset ?? process.env.DATASET;
  const dataset = findDataset(tenant, datasetName === '' ? undefined : datasetName);
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
