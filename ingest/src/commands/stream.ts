import * as os from 'node:os';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseFlags } from '../args';
import { createAvroCodec } from '../avro/avro-codec';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { IngestionLog } from '../cassandra/ingestion-log';
import { Health } from '../http/health';
import { metricsPortSetting, startMetricsServer } from '../http/metrics';
import { createKafka } from '../kafka/kafka-client';
import { createIdempotentProducer } from '../kafka/producer';
import { requireTopics, withAdmin } from '../kafka/topics';
import { createLogger, errorFields } from '../log';
import { createIngestMetrics } from '../metrics/ingest-metrics';
import { retry } from '../retry';
import { DEFAULTS, engineSettings, intSetting, requiredSetting, setting } from '../settings';
import { untilSignal } from '../signals';
import { stagingLayout } from '../staging/staging-layout';
import { StreamIngestor } from '../stream/stream-ingestor';
import { UsageError } from '../../../infra/errors';

/**
 * `mysimbdp stream [--client ID] [--dataset NAME] [--source DIR] [--tenants DIR] [--monitor-url URL]
 * [--metrics-port N] [--rescan-seconds S] [--no-messages]` (env CLIENT_ID, DATASET, SOURCE_PATH, TENANTS_DIR,
 * MONITOR_URL with MONITOR_TOKEN, METRICS_PORT, STREAM_RESCAN_SECONDS, STREAM_STALE_CLAIM_SECONDS, STREAM_SHUTDOWN_GRACE_SECONDS): near-real-time ingestion of
 * files arriving in in/ and messages on `<client>.<dataset>.raw` until SIGTERM/SIGINT, then a graceful stop.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const flags = parseFlags(argv, {
    client: { type: 'string' },
    dataset: { type: 'string' },
    source: { type: 'string' },
    tenants: { type: 'string' },
    'monitor-url': { type: 'string' },
    'metrics-port': { type: 'string' },
    'rescan-seconds': { type: 'string' },
    'no-messages': { type: 'boolean' },
  });
  const client = requiredSetting(flags.client, 'client', 'CLIENT_ID');
  const tenant = findTenant(loadTenantsOrThrow(setting(flags.tenants, 'TENANTS_DIR', DEFAULTS.tenantsDir)), client);
  const datasetName = flags.dataset ?? process.env.DATASET;
  const dataset = findDataset(tenant, datasetName === '' ? undefined : datasetName);
  const sourcePath = setting(flags.source, 'SOURCE_PATH', DEFAULTS.sourcePath);
  const monitorUrl = setting(flags['monitor-url'], 'MONITOR_URL', '');
  // a secret: from the environment (a pod's Secret), never a flag that `ps` shows
  const monitorToken = process.env.MONITOR_TOKEN ?? '';
  if (monitorUrl !== '' && monitorToken === '') throw new UsageError("MONITOR_URL is set but MONITOR_TOKEN (the tenant's report token) is not");
  const metricsPort = metricsPortSetting(setting(flags['metrics-port'], 'METRICS_PORT', ''));
  const rescanSeconds = intSetting(setting(flags['rescan-seconds'], 'STREAM_RESCAN_SECONDS', '5'), 'rescan seconds');
  const staleSeconds = intSetting(setting(undefined, 'STREAM_STALE_CLAIM_SECONDS', '900'), 'STREAM_STALE_CLAIM_SECONDS');
  const graceSeconds = intSetting(setting(undefined, 'STREAM_SHUTDOWN_GRACE_SECONDS', '20'), 'STREAM_SHUTDOWN_GRACE_SECONDS', 0);
  const instance = process.env.HOSTNAME ?? `${os.hostname()}:${process.pid}`;
  const logger = createLogger({ command: 'stream', tenant: client, dataset: dataset.name, instance });
  const settings = engineSettings();

  const cassandra = createCassandraClient(settings);
  const kafka = createKafka(`mysimbdp-stream-${client}`, settings);
  const producer = createIdempotentProducer(kafka);
  const metrics = createIngestMetrics();
  const health = new Health();
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let ingestor: StreamIngestor | undefined;
  try {
    // first, so that probes answer (live, not ready) while the engines are reached
    if (metricsPort !== undefined) server = await startMetricsServer(metrics.registry, metricsPort, health);
    const topics = [dataset.topics.main, dataset.topics.dlq, ...(flags['no-messages'] === true ? [] : [dataset.topics.raw])];
    await withAdmin(kafka, (admin) => requireTopics(admin, topics, { tenant: client, dataset: dataset.name }));
    await retry(() => connectCassandra(cassandra, settings), { attempts: 6, baseDelayMs: 1000 });
    const ingestionLog = new IngestionLog(cassandra, [tenant]);
    await producer.connect();
    ingestor = new StreamIngestor({
      tenant, dataset, layout: stagingLayout(sourcePath, client, dataset), kafka, producer, codec: createAvroCodec(dataset), ingestionLog, logger, instance, metrics,
      ...(monitorUrl === '' ? {} : { monitor: { url: monitorUrl, token: monitorToken } }),
      inbox: { rescanMs: rescanSeconds * 1000, staleClaimMs: staleSeconds * 1000, shutdownGraceMs: graceSeconds * 1000 },
      messages: flags['no-messages'] !== true,
    });
    const failed = ingestor.failed.then((error) => {
      health.fail(error);
      return { reason: 'failed' as const, error };
    });
    await ingestor.start();
    health.markReady();
    logger.info('stream started', { inbox: stagingLayout(sourcePath, client, dataset).inbox, topic: flags['no-messages'] === true ? null : dataset.topics.raw, monitor_url: monitorUrl === '' ? null : monitorUrl, metrics_port: server?.port ?? null });
    const outcome = await Promise.race([failed, untilSignal().then((signal) => ({ reason: 'signal' as const, signal }))]);
    if (outcome.reason === 'failed') {
      logger.error('stream stopped', { reason: outcome.reason, ...errorFields(outcome.error) });
      return 1;
    }
    logger.info('stream stopping', { signal: outcome.signal, file_in_progress: ingestor.inbox.current ?? null });
    await ingestor.stop();
    logger.info('stream stopped');
    return 0;
  } finally {
    await ingestor?.stop().catch((err: unknown) => logger.warn('stream stop failed', errorFields(err)));
    await server?.close().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await cassandra.shutdown().catch(() => undefined);
  }
}
