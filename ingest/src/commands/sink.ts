import * as v8 from 'node:v8';
import { findDataset, findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { parseCommand } from '../args';
import { connectCassandra, createCassandraClient } from '../cassandra/cassandra-client';
import { Health } from '../http/health';
import { metricsPortSetting, startMetricsServer } from '../http/metrics';
import { createKafka } from '../kafka/kafka-client';
import { createLogger, errorFields } from '../log';
import { retry } from '../retry';
import { engineSettings, intSetting } from '../settings';
import { untilSignal } from '../signals';
import { everyNodeReplicatesAll } from '../cassandra/replica-layout';
import { KafkaSink } from '../sink/kafka-sink';
import { createSinkMetrics } from '../sink/sink-metrics';

/**
 * Bytes fetched per partition (= one flush) when not set: up to 3 partitions with 2 flushes each
 * in memory, each decoded batch ~15× its wire size, must fit the V8 heap — 320 KiB under the
 * image's 56 MiB old space (client_a's 128 MiB limit), 1 MiB with a default heap.
 */
export function defaultFetchBytes(heapLimit = v8.getHeapStatistics().heap_size_limit): number {
  return Math.min(1_048_576, Math.max(131_072, Math.floor(heapLimit / 192 / 65_536) * 65_536));
}

/**
 * `mysimbdp sink` (flags: cli-commands.ts): consumes `<client>.<dataset>` into Cassandra. Long-running
 * until SIGTERM/SIGINT (finishes the flush in progress, commits, disconnects); with `--until-idle`
 * it exits 0 once the group's committed offsets reach the topic's end. Exit 1 when a flush fails
 * for good (nothing past the last good flush is committed).
 */
export async function run(argv: readonly string[]): Promise<number> {
  const { flags } = parseCommand('sink', argv);
  const metricsPort = metricsPortSetting(flags['metrics-port']);
  const concurrency = intSetting(flags.concurrency, 'concurrency');
  const maxBatchRows = intSetting(flags['batch-rows'], 'batch rows');
  const batchPartitions = intSetting(flags['batch-partitions'], 'batch partitions');
  const maxBytesPerPartition = flags['fetch-bytes'] === undefined ? defaultFetchBytes() : intSetting(flags['fetch-bytes'], 'fetch bytes');
  const tenant = findTenant(loadTenantsOrThrow(flags.tenants), flags.client);
  const dataset = findDataset(tenant, flags.dataset);

  const log = createLogger({ command: 'sink', tenant: tenant.client, dataset: dataset.name });
  const settings = engineSettings();
  const cassandra = createCassandraClient(settings);
  const kafka = createKafka(`mysimbdp-sink-${tenant.client}`, settings);
  const metrics = createSinkMetrics();
  const health = new Health();
  let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
  let sink: KafkaSink | undefined;
  try {
    // first, so that probes answer (live, not ready) while the engines are reached
    if (metricsPort !== undefined) server = await startMetricsServer(metrics.registry, metricsPort, health);
    // The engines may still be starting next to us (a fresh cluster, `dev`): a few patient attempts.
    await retry(() => connectCassandra(cassandra, settings), { attempts: 6, baseDelayMs: 1000 });
    // many one-row partitions to a statement only where no coordinator would have to forward them
    const maxBatchPartitions = everyNodeReplicatesAll(cassandra, dataset.keyspace, settings.cassandraLocalDc) ? batchPartitions : 1;
    sink = new KafkaSink(kafka, cassandra, tenant.client, dataset, { logger: log, maxBytesPerPartition, metrics, writer: { concurrency, maxBatchRows, maxBatchPartitions } });
    void sink.failed.then((error) => health.fail(error));
    await sink.start();
    health.markReady();
    log.info('sink started', { topic: sink.topic, group: sink.groupId, until_idle: flags['until-idle'], batch_partitions: maxBatchPartitions, metrics_port: server?.port ?? null });
    const never = new Promise<never>(() => undefined);
    const outcome = await Promise.race([
      sink.failed.then((error) => ({ reason: 'failed' as const, error })),
      flags['until-idle'] ? sink.untilIdle().then(() => ({ reason: 'idle' as const })) : never,
      untilSignal().then((signal) => ({ reason: 'signal' as const, signal })),
    ]);
    if (outcome.reason === 'failed') {
      log.error('sink stopped', { reason: outcome.reason, ...errorFields(outcome.error) });
      return 1;
    }
    log.info('sink stopped', { reason: outcome.reason, ...(outcome.reason === 'signal' ? { signal: outcome.signal } : {}) });
    return 0;
  } finally {
    await sink?.stop().catch((err: unknown) => log.warn('sink stop failed', errorFields(err)));
    await server?.close();
    await cassandra.shutdown();
  }
}
