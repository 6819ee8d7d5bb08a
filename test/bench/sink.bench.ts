// Sink throughput: Kafka topic (client_a rows, Avro, 3 partitions) → Cassandra, end to end
// (decode, last-version-per-key, prepared single-partition batches, commit). Knobs by env:
// BENCH_SINK_ROWS (default 500000), BENCH_SINK_CONCURRENCY, BENCH_SINK_BATCH_ROWS, BENCH_SINK_FETCH_BYTES,
// BENCH_SINK_PROVINCES (partition keys, default 63). Run alone: npx tsx test/bench/sink.bench.ts
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { CassandraWriter } from '../../ingest/src/cassandra/cassandra-writer';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { defaultFetchBytes } from '../../ingest/src/commands/sink';
import * as fs from 'node:fs';
import { engineStatus, ensureEngines } from '../../ingest/src/engines';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { ensureTopics } from '../ingest/helpers/topics';
import { createLogger } from '../../ingest/src/log';
import { KafkaSink } from '../../ingest/src/sink/kafka-sink';
import { produceRecords, speedRows } from '../ingest/helpers/produce-records';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { exitWhenDone } from './exit-when-done';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};

/** CPU seconds (user + system) a process has used so far, from /proc (Linux, 100 ticks/s); undefined elsewhere. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export async function bench(): Promise<void> {
  const rows = int('BENCH_SINK_ROWS', 500_000);
  const concurrency = int('BENCH_SINK_CONCURRENCY', 64);
  const maxBatchRows = int('BENCH_SINK_BATCH_ROWS', 200);
  const maxBytesPerPartition = int('BENCH_SINK_FETCH_BYTES', defaultFetchBytes());
  const provinces = int('BENCH_SINK_PROVINCES', 63);
  await ensureEngines();

  const suffix = uniqueSuffix();
  const id = `bench_sink_${suffix}`;
  const tenant = findTenant(loadTenantsOrThrow(writeTenantDir(tempDir('bench-sink'), id, seedDataset('client_a', id))), id);
  const dataset = tenant.datasets[0]!;
  const cassandra = createCassandraClient();
  const kafka = createKafka('bench-sink');
  await cassandra.connect();
  await provisionDataset(cassandra, tenant, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(kafka, dataset);

  let t0 = performance.now();
  await produceRecords(kafka, dataset, speedRows(rows, provinces), 'bench.csv');
  const produceSeconds = (performance.now() - t0) / 1000;

  let flushes = 0;
  let flushMs = 0;
  let flushedRows = 0;
  let firstFlushAt: number | undefined;
  let peakRss = process.memoryUsage().rss;
  const quiet = createLogger({}, { write: (line) => {
    if (line.includes('"msg":"flush"')) {
      flushes++;
      const flush = JSON.parse(line) as { duration_ms: number; written: number };
      // steady state starts when the first flush started (after connecting and joining the group)
      firstFlushAt ??= performance.now() - flush.duration_ms;
      flushMs += flush.duration_ms;
      flushedRows += flush.written;
    } else if (!line.includes('"level":"debug"')) process.stderr.write(line);
  } });
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 200);
  const sink = new KafkaSink(kafka, cassandra, tenant.client, dataset, { logger: quiet, maxBytesPerPartition, writer: { concurrency, maxBatchRows } });
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const cassandraPid = (await engineStatus()).find((e) => e.name === 'cassandra')?.pid;
  const cassandraCpu0 = processCpuSeconds(cassandraPid);
  await sink.start();
  await Promise.race([sink.untilIdle(200), sink.failed.then((err) => { throw err; })]);
  const sinkSeconds = (performance.now() - t0) / 1000;
  const steadySeconds = (performance.now() - (firstFlushAt ?? t0)) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const cassandraCpu1 = processCpuSeconds(cassandraPid);
  const cassandraCpu = cassandraCpu0 === undefined || cassandraCpu1 === undefined ? undefined : cassandraCpu1 - cassandraCpu0;
  clearInterval(sampler);
  await sink.stop();

  // Counted per partition key: one count(*) over the whole table times out on a single node.
  let written = 0;
  for (let p = 0; p < provinces; p++) {
    const result = await cassandra.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}" WHERE "PROVINCECODE" = ?`, [`P${String(p).padStart(2, '0')}`], { prepare: true, readTimeout: 120_000 });
    written += result.rows[0]!.get('count').toNumber();
  }
  process.stdout.write(
    `sink.bench: ${rows} client_a rows (${provinces} partition keys), concurrency ${concurrency}, batch rows ${maxBatchRows}, fetch ${maxBytesPerPartition} B/partition\n` +
    `  produce (idempotent, acks=all): ${produceSeconds.toFixed(1)} s = ${Math.round(rows / produceSeconds)} rows/s\n` +
    `  sink topic → Cassandra:         ${sinkSeconds.toFixed(1)} s = ${Math.round(rows / sinkSeconds)} rows/s incl. connect and group join; ` +
    `${Math.round(rows / steadySeconds)} rows/s from the first flush (${flushes} flushes, mean ${(flushMs / Math.max(1, flushes)).toFixed(0)} ms, ${flushedRows} rows written), peak RSS ${Math.round(peakRss / 1048576)} MiB, sink process CPU ${cpuSeconds.toFixed(1)} s (${Math.round((cpuSeconds / sinkSeconds) * 100)}% of one core)\n` +
    `  CPU per row: sink ${Math.round((cpuSeconds / rows) * 1e6)} µs` +
    `${cassandraCpu === undefined ? '' : `, Cassandra ${Math.round((cassandraCpu / rows) * 1e6)} µs`} (machine load average ${fs.existsSync('/proc/loadavg') ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0] : '?'})\n` +
    `  rows in Cassandra: ${written} (expected ${rows})\n`,
  );

  // What single-partition batches buy: the writer alone, one INSERT per row against batches.
  const sample = [...speedRows(Math.min(rows, 48_000), provinces, 2)];
  for (const batchRows of [1, maxBatchRows]) {
    const writer = new CassandraWriter(cassandra, dataset, { concurrency, maxBatchRows: batchRows });
    const c0 = processCpuSeconds(cassandraPid);
    const w0 = performance.now();
    for (let i = 0; i < sample.length; i += 6000) await writer.write(sample.slice(i, i + 6000));
    const seconds = (performance.now() - w0) / 1000;
    const c1 = processCpuSeconds(cassandraPid);
    process.stdout.write(
      `  writer alone, ${batchRows === 1 ? 'one INSERT per row' : `batches of <= ${batchRows} rows`}: ${Math.round(sample.length / seconds)} rows/s` +
      `${c0 === undefined || c1 === undefined ? '' : `, Cassandra ${Math.round(((c1 - c0) / sample.length) * 1e6)} µs/row`}\n`,
    );
  }

  await cassandra.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`, [], { readTimeout: 120_000 });
  await cassandra.shutdown();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq] });
  await admin.disconnect();
}

if (require.main === module) exitWhenDone(bench());
