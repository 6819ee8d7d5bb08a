// Batch throughput and memory: a generated client_a file (default 1,000,000 rows, realistic values,
// 0.1% bad rows) through the compiled `mysimbdp batch` in a child process with the image's heap
// caps (a 128 MiB container), peak RSS from /proc; then the sink into Cassandra, alone and running
// beside the batch (end to end). Knobs by env: BENCH_BATCH_ROWS, BENCH_BATCH_BAD_RATIO, BENCH_BATCH_SKIP_SINK=1.
// Run alone: npx tsx test/bench/batch.bench.ts
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { ensureEngines } from '../../ingest/src/engines';
import { writeGenerated } from '../../ingest/src/gen/write-generated';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { ensureTopics } from '../ingest/helpers/topics';
import { groupProgress } from '../../ingest/src/sink/kafka-sink';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { buildCompiledCli, IMAGE_ENV, IMAGE_NODE_OPTIONS, loadAverage, procStat, runCompiled, startCompiled } from './compiled-cli';
import { exitWhenDone } from './exit-when-done';

async function freshTenant(tenantsDir: string, id: string): Promise<Dataset> {
  // 1,000,000 client_a rows are ~75 MB: above the seed's max_file_size_mb of 50, so the bench tenant allows 500.
  writeTenantDir(tenantsDir, id, { ...seedDataset('client_a', id), max_file_size_mb: 500 }, agreementJson(id));
  const tenant = findTenant(loadTenantsOrThrow(tenantsDir), id);
  const dataset = tenant.datasets[0]!;
  const cassandra = createCassandraClient();
  await cassandra.connect();
  await provisionDataset(cassandra, tenant, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await cassandra.shutdown();
  await ensureTopics(createKafka('bench-batch'), dataset);
  return dataset;
}

const rate = (rows: number, seconds: number): string => `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;

export async function bench(): Promise<void> {
  const rows = Number(process.env.BENCH_BATCH_ROWS ?? 1_000_000);
  const badRatio = Number(process.env.BENCH_BATCH_BAD_RATIO ?? 0.001);
  const engines = await ensureEngines();
  // CPU seconds the JVMs spent since the last call (0 for an engine this tool did not start)
  const jvmPids = ['kafka', 'cassandra'].map((name) => engines.find((e) => e.name === name)?.pid);
  let jvmBefore = jvmPids.map((pid) => (pid === undefined ? 0 : (procStat(pid)?.cpu ?? 0)));
  const jvmSince = (rowsDone: number): string => {
    const now = jvmPids.map((pid) => (pid === undefined ? 0 : (procStat(pid)?.cpu ?? 0)));
    const [kafkaUs, cassandraUs] = now.map((cpu, i) => Math.round(((cpu - jvmBefore[i]!) / rowsDone) * 1e6));
    jvmBefore = now;
    return jvmPids.includes(undefined) ? 'engines not started by this tool: JVM CPU unknown' : `JVM CPU per row: Kafka ${kafkaUs} µs, Cassandra ${cassandraUs} µs`;
  };
  buildCompiledCli();

  const tenants = tempDir('bench-batch-tenants');
  const staging = tempDir('bench-batch-staging');
  const load = (): string => String(loadAverage());
  const lines: string[] = [];

  // 1. batch alone, then the sink alone.
  const id = `bench_batch_${uniqueSuffix()}`;
  const dataset = await freshTenant(tenants, id);
  const layout = stagingLayout(staging, id, dataset);
  fs.mkdirSync(layout.inbox, { recursive: true });
  const file = path.join(layout.inbox, 'bench.csv');
  let t0 = performance.now();
  const gen = await writeGenerated(dataset, file, { rows, type: 'csv', badRatio, seed: 42 });
  const bytes = fs.statSync(file).size;
  lines.push(`input: ${rows.toLocaleString('en-US')} client_a rows, ${(bytes / 1048576).toFixed(1)} MiB csv (gen: ${((performance.now() - t0) / 1000).toFixed(1)} s), expected ok ${gen.expectedOk}, rejected ${gen.expectedRejected}, deduplicated ${gen.expectedDeduplicated}`);
  const env = { CLIENT_ID: id, SOURCE_PATH: staging, TENANTS_DIR: tenants, DATASET: '' };
  jvmSince(1);
  const batch = await runCompiled(['batch'], env);
  const f = batch.fileLine ?? {};
  lines.push(`batch alone (node ${IMAGE_NODE_OPTIONS.join(' ')}, MALLOC_ARENA_MAX=${IMAGE_ENV.MALLOC_ARENA_MAX}): exit ${batch.code}, ${batch.seconds.toFixed(1)} s = ${rate(rows, batch.seconds)}, CPU ${batch.cpuSeconds.toFixed(1)} s (${Math.round((batch.cpuSeconds / rows) * 1e6)} µs/row), peak RSS ${batch.peakRssMiB.toFixed(0)} MiB; file line: rows_ok ${f.rows_ok}, rows_rejected ${f.rows_rejected}, rows_deduplicated ${f.rows_deduplicated}, duration_ms ${f.duration_ms} (load avg ${load()}); ${jvmSince(rows)}`);

  if (process.env.BENCH_BATCH_SKIP_SINK !== '1') {
    const sink = await runCompiled(['sink', '--client', id, '--until-idle', '--metrics-port', '0'], env);
    lines.push(`sink alone (--until-idle): exit ${sink.code}, ${sink.seconds.toFixed(1)} s = ${rate(gen.expectedOk, sink.seconds)}, CPU ${sink.cpuSeconds.toFixed(1)} s, peak RSS ${sink.peakRssMiB.toFixed(0)} MiB; ${jvmSince(gen.expectedOk)}`);
    lines.push(`end to end, one after the other: ${(batch.seconds + sink.seconds).toFixed(1)} s = ${rate(rows, batch.seconds + sink.seconds)}`);

    // 2. The deployed shape: the sink runs all the time; a fresh tenant, the same file.
    const id2 = `bench_batch_${uniqueSuffix()}`;
    const dataset2 = await freshTenant(tenants, id2);
    const layout2 = stagingLayout(staging, id2, dataset2);
    fs.mkdirSync(layout2.inbox, { recursive: true });
    fs.copyFileSync(path.join(layout.archive, 'bench.csv'), path.join(layout2.inbox, 'bench.csv'));
    const env2 = { ...env, CLIENT_ID: id2 };
    const sinkChild = startCompiled(['sink', '--client', id2, '--metrics-port', '0'], env2);
    const kafka = createKafka('bench-batch-e2e');
    const admin = kafka.admin();
    await admin.connect();
    t0 = performance.now();
    jvmSince(1);
    const batch2 = await runCompiled(['batch'], env2);
    for (;;) {
      const p = await groupProgress(admin, `${id2}.sink.${dataset2.name}`, dataset2.topics.main);
      if (p.caughtUp) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const e2e = (performance.now() - t0) / 1000;
    sinkChild.kill('SIGTERM');
    await admin.disconnect();
    lines.push(`end to end, sink running beside the batch: batch ${batch2.seconds.toFixed(1)} s, last row committed by the sink after ${e2e.toFixed(1)} s = ${rate(rows, e2e)} (batch peak RSS ${batch2.peakRssMiB.toFixed(0)} MiB, load avg ${load()}); ${jvmSince(rows)}`);

    const cassandra = createCassandraClient();
    await cassandra.connect();
    for (const ds of [dataset, dataset2]) {
      let n = 0;
      for (const province of ['HN', 'HCM', 'DN', 'HP', 'CT', 'QN', 'BD', 'KH']) {
        const r = await cassandra.execute(`SELECT count(*) FROM "${ds.keyspace}"."${ds.table}" WHERE "PROVINCECODE" = ?`, [province], { prepare: true, readTimeout: 120_000 });
        n += r.rows[0]!.get('count').toNumber();
      }
      lines.push(`rows in Cassandra ${ds.keyspace}: ${n} (expected ${gen.expectedOk})`);
    }
    for (const ds of [dataset, dataset2]) await cassandra.execute(`DROP KEYSPACE IF EXISTS "${ds.keyspace}"`, [], { readTimeout: 120_000 });
    await cassandra.shutdown();
  }
  fs.rmSync(staging, { recursive: true, force: true });
  process.stdout.write(`batch.bench:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

if (require.main === module) exitWhenDone(bench());
