import * as os from 'node:os';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
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
import { engineSettings, intSetting } from '../settings';
import { untilSignal } from '../signals';
import { stagingLayout } from '../staging/staging-layout';
import { StreamIngestor } from '../stream/stream-ingestor';
import { UsageError } from '../../../infra/errors';

/**
 * `mysimbdp stream` (flags and variables: cli-commands.ts): near-real-time ingestion of files arriving in in/ and messages on `<client>.<dataset>.raw` until SIGTERM/SIGINT, then a graceful stop.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags, env } = parseCommand('stream', argv);
  const { client, source: sourcePath, 'monitor-url': monitorUrl } = flags;
  const tenant = findTenant(loadTenantsOrThrow(flags.tenants), client);
  const dataset = findDataset(tenant, flags.dataset);
  // a secret: from the environment (a pod's Secret), never a flag that `ps` shows
  const monitorToken = env.MONITOR_TOKEN;
  if (monitorUrl !== undefined && monitorToken === undefined) throw new UsageError("MONITOR_URL is set but MONITOR_TOKEN (the tenant's report token) is not");
  const metricsPort = metricsPortSetting(flags['metrics-port']);
  const rescanSeconds = intSetting(flags['rescan-seconds'], 'rescan seconds');
  const staleSeconds = intSetting(env.STREAM_STALE_CLAIM_SECONDS, 'STREAM_STALE_CLAIM_SECONDS');
  const graceSeconds = intSetting(env.STREAM_SHUTDOWN_GRACE_SECONDS, 'STREAM_SHUTDOWN_GRACE_SECONDS', 0);
  const instance = env.HOSTNAME ?? `${os.hostname()}:${process.pid}`;
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
    const topics = [dataset.topics.main, dataset.topics.dlq, ...(flags['no-messages'] ? [] : [dataset.topics.raw])];
    await withAdmin(kafka, (admin) => requireTopics(admin, topics, { tenant: client, dataset: dataset.name }));
    await retry(() => connectCassandra(cassandra, settings), { attempts: 6, baseDelayMs: 1000 });
    const ingestionLog = new IngestionLog(cassandra, [tenant]);
    await producer.connect();
    ingestor = new StreamIngestor({
      tenant, dataset, layout: stagingLayout(sourcePath, client, dataset), kafka, producer, codec: createAvroCodec(dataset), ingestionLog, logger, instance, metrics,
      ...(monitorUrl === undefined || monitorToken === undefined ? {} : { monitor: { url: monitorUrl, token: monitorToken } }),
      inbox: { rescanMs: rescanSeconds * 1000, staleClaimMs: staleSeconds * 1000, shutdownGraceMs: graceSeconds * 1000 },
      messages: !flags['no-messages'],
    });
    const failed = ingestor.failed.then((error) => {
      health.fail(error);
      return { reason: 'failed' as const, error };
    });
    await ingestor.start();
    health.markReady();
    logger.info('stream started', { inbox: stagingLayout(sourcePath, client, dataset).inbox, topic: flags['no-messages'] ? null : dataset.topics.raw, monitor_url: monitorUrl ?? null, metrics_port: server?.port ?? null });
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
