// The tool a user would pick instead, side by side: the same generated file loaded by mysimbdp
// (batch, then `sink --until-idle`: through Kafka, validated, wrangled) and by `cqlsh COPY FROM`
// into a fresh table of the same schema, in the same run, for a client_a-shaped file (few wide
// partitions) and a client_b-shaped one (one row per partition). Both tables are then compared by
// count and by a checksum of every row's values. For the one-row-partition shape, the writer alone
// (the raw driver path, best of several concurrencies) gives the ceiling the sink is held against.
// Knobs by env: BENCH_PEER_A_ROWS (200000), BENCH_PEER_B_ROWS (80000).
// Run alone: npx tsx test/bench/peer.bench.ts
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import { createKeyspaceCql, createTableCql, quoteIdent } from '../../infra/cql/ddl';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { CassandraWriter } from '../../ingest/src/cassandra/cassandra-writer';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { engineLayout, engineStatus, ensureEngines } from '../../ingest/src/engines';
import { credentialsDir } from '../../ingest/src/engines/platform-credentials';
import { writeGenerated } from '../../ingest/src/gen/write-generated';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { readRecords } from '../../ingest/src/readers/read-records';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { createRowConverter } from '../../ingest/src/wrangle/row-converter';
import { ensureTopics } from '../ingest/helpers/topics';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { groupProgress } from '../../ingest/src/sink/kafka-sink';
import { loadAverage, procStat, runCompiled, startCompiled, treeCpuMeter } from './compiled-cli';
import { exitWhenDone } from './exit-when-done';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};

const SHAPES = [
  { shape: 'client_a', rows: () => int('BENCH_PEER_A_ROWS', 200_000) },
  { shape: 'client_b', rows: () => int('BENCH_PEER_B_ROWS', 80_000) },
] as const;

export interface PeerFigures {
  readonly shape: string;
  readonly rows: number;
  readonly fileMiB: number;
  readonly mysimbdp: { readonly rowsPerSecond: number; readonly seconds: number; readonly batchSeconds: number; readonly batchCpuMicrosPerRow: number; readonly batchPeakRssMiB: number; readonly sinkSeconds: number; readonly sinkRowsPerSecond: number };
  /** The sink running beside the batch, as deployed: batch start to the last row committed. */
  readonly deployedShape: { readonly rowsPerSecond: number; readonly seconds: number; readonly ratio: number; readonly rows: number };
  readonly cqlshCopy: { readonly rowsPerSecond: number; readonly seconds: number };
  readonly ratio: number;
  readonly tables: { readonly mysimbdpRows: number; readonly copyRows: number; readonly sameRows: boolean };
  /** CPU µs per row of every process involved (the engines only when this tool started them). */
  readonly cpuPerRow: {
    readonly mysimbdp: { readonly batch: number; readonly sink: number; readonly kafka: number; readonly cassandra: number; readonly total: number };
    readonly cqlshCopy: { readonly cqlsh: number; readonly cassandra: number; readonly total: number };
  };
  /** One-row partitions only: the raw writer's best rate and the sink's share of it. */
  readonly writerCeiling?: { readonly rowsPerSecond: number; readonly concurrency: number; readonly partitionsPerBatch: number; readonly sinkShare: number };
  readonly loadAverage: number;
}

/** Every row of a table as a canonical string, hashed, sorted, hashed again: equal tables, equal checksum. */
async function tableChecksum(client: cassandra.Client, keyspace: string, table: string, columns: readonly string[]): Promise<{ rows: number; checksum: string }> {
  const digests: string[] = [];
  const canonical = (v: unknown): string => (v === null || v === undefined ? '∅' : v instanceof Date ? v.toISOString() : typeof v === 'object' ? String(v) : JSON.stringify(v));
  const result = await client.execute(`SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(keyspace)}.${quoteIdent(table)}`, [], { prepare: true, fetchSize: 5000, readTimeout: 120_000 });
  for await (const row of result) digests.push(createHash('sha256').update(columns.map((c) => canonical(row.get(c))).join('\u0001')).digest('hex'));
  digests.sort();
  return { rows: digests.length, checksum: createHash('sha256').update(digests.join('')).digest('hex') };
}

/** cqlsh COPY FROM with its defaults (what a user would type): wall seconds and the CPU of cqlsh and its workers. */
function cqlshCopy(keyspace: string, table: string, columns: readonly string[], file: string): Promise<{ seconds: number; cpuSeconds: number }> {
  const credentials = path.join(credentialsDir(engineLayout()), 'platform.cqlsh');
  const cql = `COPY ${quoteIdent(keyspace)}.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '${file}' WITH HEADER = TRUE`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = execFile('cqlsh', ['127.0.0.1', '9042', '--credentials', credentials, '--request-timeout', '120', '-e', cql], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const cpuSeconds = meter.stop();
      if (err !== null) return reject(new Error(`cqlsh COPY failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      resolve({ seconds: (performance.now() - t0) / 1000, cpuSeconds });
    });
    const meter = treeCpuMeter(child.pid!);
  });
}

/** CPU seconds the engines' JVMs used so far (0 for one this tool did not start). */
async function engineCpu(): Promise<{ kafka: number; cassandra: number }> {
  const status = await engineStatus();
  const cpu = (name: string): number => {
    const pid = status.find((s) => s.name === name)?.pid;
    return pid === undefined ? 0 : (procStat(pid)?.cpu ?? 0);
  };
  return { kafka: cpu('kafka'), cassandra: cpu('cassandra') };
}

/**
 * The raw driver path on the file's rows, without Kafka: the best rate over concurrencies and
 * partitions per batch (one statement per row, or many one-row partitions to an unlogged batch).
 */
async function writerCeiling(client: cassandra.Client, dataset: Dataset, file: string): Promise<{ rowsPerSecond: number; concurrency: number; partitionsPerBatch: number }> {
  const convert = createRowConverter(dataset);
  const rows: Record<string, unknown>[] = [];
  for await (const batch of readRecords(fs.createReadStream(file), dataset, 'csv', path.basename(file))) {
    for (const record of batch) {
      const converted = record.fields === undefined ? undefined : convert(record.fields).row;
      if (converted !== undefined) rows.push(converted);
    }
  }
  let best = { rowsPerSecond: 0, concurrency: 0, partitionsPerBatch: 0 };
  for (const [concurrency, partitionsPerBatch] of [[64, 1], [256, 1], [512, 1], [8, 50], [16, 50], [64, 50], [8, 100]] as const) {
    const writer = new CassandraWriter(client, dataset, { concurrency, maxBatchPartitions: partitionsPerBatch });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 5000) await writer.write(rows.slice(i, i + 5000));
    const rate = rows.length / ((performance.now() - t0) / 1000);
    if (rate > best.rowsPerSecond) best = { rowsPerSecond: Math.round(rate), concurrency, partitionsPerBatch };
  }
  return best;
}

/** A fresh tenant of the shape, its sink started first, then the batch of `file`: seconds until the sink committed the last row. */
async function deployedShape(client: cassandra.Client, tenants: string, staging: string, shape: 'client_a' | 'client_b', file: string): Promise<{ seconds: number; rows: number }> {
  const id = `peer_${shape === 'client_a' ? 'a' : 'b'}_${uniqueSuffix()}`;
  writeTenantDir(tenants, id, { ...seedDataset(shape, id), max_file_size_mb: 500 }, agreementJson(id));
  const dataset = findTenant(loadTenantsOrThrow(tenants), id).datasets[0]!;
  await provisionDataset(client, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  const kafka = createKafka('bench-peer-deployed');
  await ensureTopics(kafka, dataset);
  const layout = stagingLayout(staging, id, dataset);
  fs.mkdirSync(layout.inbox, { recursive: true });
  fs.copyFileSync(file, path.join(layout.inbox, path.basename(file)));
  const env = { CLIENT_ID: id, SOURCE_PATH: staging, TENANTS_DIR: tenants, DATASET: '' };
  const sink = startCompiled(['sink', '--client', id], env);
  const admin = kafka.admin();
  await admin.connect();
  // the sink's group exists once it joined: only then does the clock start
  for (let i = 0; i < 300 && !(await admin.listGroups()).groups.some((g) => g.groupId === `${id}.sink.${dataset.name}`); i++) await new Promise((r) => setTimeout(r, 100));
  const t0 = performance.now();
  const batch = await runCompiled(['batch'], env);
  if (batch.code !== 0) throw new Error(`mysimbdp batch failed: exit ${batch.code}`);
  while (!(await groupProgress(admin, `${id}.sink.${dataset.name}`, dataset.topics.main)).caughtUp) await new Promise((r) => setTimeout(r, 100));
  const seconds = (performance.now() - t0) / 1000;
  sink.kill('SIGTERM');
  await admin.disconnect();
  const { rows } = await tableChecksum(client, dataset.keyspace, dataset.table, dataset.fields.map((f) => f.name));
  await client.execute(`DROP KEYSPACE IF EXISTS ${quoteIdent(dataset.keyspace)}`, [], { readTimeout: 120_000 });
  return { seconds, rows };
}

async function peer(shape: 'client_a' | 'client_b', rows: number): Promise<PeerFigures> {
  const suffix = uniqueSuffix();
  const id = `peer_${shape === 'client_a' ? 'a' : 'b'}_${suffix}`;
  const tenants = tempDir('bench-peer-tenants');
  const staging = tempDir('bench-peer-staging');
  writeTenantDir(tenants, id, { ...seedDataset(shape, id), max_file_size_mb: 500 }, agreementJson(id));
  const dataset = findTenant(loadTenantsOrThrow(tenants), id).datasets[0]!;
  const client = createCassandraClient();
  await client.connect();
  await provisionDataset(client, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(createKafka('bench-peer'), dataset);
  // cqlsh's table: the same DDL in a keyspace of its own
  const copyKeyspace = `${id}_copy`;
  await client.execute(createKeyspaceCql(copyKeyspace, 1), [], { readTimeout: 60_000 });
  await client.execute(createTableCql({ ...dataset, keyspace: copyKeyspace }), [], { readTimeout: 60_000 });

  // A clean file (no bad rows, no repeated keys), so that both loaders must end with the same rows;
  // on one line each: cqlsh COPY stalls on a quoted line break ("No records inserted in 90 seconds").
  const file = path.join(tempDir('bench-peer-file'), `${shape}.csv`);
  await writeGenerated(dataset, file, { rows, type: 'csv', badRatio: 0, seed: 42, lineBreaks: false });
  const fileMiB = Number((fs.statSync(file).size / 1048576).toFixed(1));
  const layout = stagingLayout(staging, id, dataset);
  fs.mkdirSync(layout.inbox, { recursive: true });
  fs.copyFileSync(file, path.join(layout.inbox, `${shape}.csv`));

  const env = { CLIENT_ID: id, SOURCE_PATH: staging, TENANTS_DIR: tenants, DATASET: '' };
  const jvm0 = await engineCpu();
  const batch = await runCompiled(['batch'], env);
  const sink = await runCompiled(['sink', '--client', id, '--until-idle'], env);
  const jvm1 = await engineCpu();
  if (batch.code !== 0 || sink.code !== 0) throw new Error(`mysimbdp failed: batch exit ${batch.code}, sink exit ${sink.code}`);
  // The deployed shape: the sink runs all the time (a Deployment), the batch arrives; timed from the
  // batch's start to the sink's commit of the last row. Into a second table of the same schema.
  const deployed = await deployedShape(client, tenants, staging, shape, file);
  const jvm2 = await engineCpu();
  const copy = await cqlshCopy(copyKeyspace, dataset.table, dataset.fields.map((f) => f.name), file);
  const jvm3 = await engineCpu();
  const copySeconds = copy.seconds;
  const us = (seconds: number): number => Math.round((seconds / rows) * 1e6);
  const ours = { batch: us(batch.cpuSeconds), sink: us(sink.cpuSeconds), kafka: us(jvm1.kafka - jvm0.kafka), cassandra: us(jvm1.cassandra - jvm0.cassandra) };
  const theirs = { cqlsh: us(copy.cpuSeconds), cassandra: us(jvm3.cassandra - jvm2.cassandra) };
  const cpuPerRow = {
    mysimbdp: { ...ours, total: ours.batch + ours.sink + ours.kafka + ours.cassandra },
    cqlshCopy: { ...theirs, total: theirs.cqlsh + theirs.cassandra },
  };

  const columns = dataset.fields.map((f) => f.name);
  const ourTable = await tableChecksum(client, dataset.keyspace, dataset.table, columns);
  const theirTable = await tableChecksum(client, copyKeyspace, dataset.table, columns);
  const seconds = batch.seconds + sink.seconds;
  const sinkRowsPerSecond = Math.round(rows / sink.seconds);
  const ceiling = shape === 'client_b' ? await writerCeiling(client, dataset, file) : undefined;
  for (const ks of [dataset.keyspace, copyKeyspace]) await client.execute(`DROP KEYSPACE IF EXISTS ${quoteIdent(ks)}`, [], { readTimeout: 120_000 });
  await client.shutdown();
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const copyRate = Math.round(rows / copySeconds);
  return {
    shape,
    rows,
    fileMiB,
    deployedShape: { rowsPerSecond: Math.round(rows / deployed.seconds), seconds: deployed.seconds, ratio: Number((rows / deployed.seconds / copyRate).toFixed(2)), rows: deployed.rows },
    mysimbdp: {
      rowsPerSecond: Math.round(rows / seconds),
      seconds,
      batchSeconds: batch.seconds,
      batchCpuMicrosPerRow: Math.round((batch.cpuSeconds / rows) * 1e6),
      batchPeakRssMiB: Math.round(batch.peakRssMiB),
      sinkSeconds: sink.seconds,
      sinkRowsPerSecond,
    },
    cqlshCopy: { rowsPerSecond: copyRate, seconds: copySeconds },
    ratio: Number((rows / seconds / copyRate).toFixed(2)),
    tables: { mysimbdpRows: ourTable.rows, copyRows: theirTable.rows, sameRows: ourTable.rows === theirTable.rows && ourTable.checksum === theirTable.checksum },
    cpuPerRow,
    ...(ceiling === undefined ? {} : { writerCeiling: { ...ceiling, sinkShare: Number((sinkRowsPerSecond / ceiling.rowsPerSecond).toFixed(2)) } }),
    loadAverage: loadAverage(),
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The peer table, as docs/performance.md shows it. */
export function peerTable(figures: readonly PeerFigures[]): string {
  const lines = [
    '| file | mysimbdp, sink beside the batch (deployed) | mysimbdp, batch then sink | batch CPU per row, peak RSS | sink | cqlsh COPY FROM | ratio deployed / one after the other | same rows |',
    '|---|---|---|---|---|---|---|---|',
    ...figures.map((f) =>
      `| ${f.shape}, ${n(f.rows)} rows | ${n(f.deployedShape.rowsPerSecond)} rows/s (${f.deployedShape.seconds.toFixed(1)} s) | ${n(f.mysimbdp.rowsPerSecond)} rows/s (${f.mysimbdp.seconds.toFixed(1)} s) | ${f.mysimbdp.batchCpuMicrosPerRow} µs, ${f.mysimbdp.batchPeakRssMiB} MiB | ${n(f.mysimbdp.sinkRowsPerSecond)} rows/s${f.writerCeiling === undefined ? '' : ` (${f.writerCeiling.sinkShare} × the writer alone, ${n(f.writerCeiling.rowsPerSecond)} rows/s at concurrency ${f.writerCeiling.concurrency}, ${f.writerCeiling.partitionsPerBatch} partition(s) per statement)`} | ${n(f.cqlshCopy.rowsPerSecond)} rows/s (${f.cqlshCopy.seconds.toFixed(1)} s) | ${f.deployedShape.ratio} / ${f.ratio} | ${f.tables.sameRows && f.deployedShape.rows === f.rows ? 'yes' : 'NO'}: ${n(f.tables.mysimbdpRows)} / ${n(f.tables.copyRows)} |`,
    ),
  ];
  const cpu = figures.map(
    (f) =>
      `${f.shape}: CPU µs per row — mysimbdp ${f.cpuPerRow.mysimbdp.total} (batch ${f.cpuPerRow.mysimbdp.batch}, sink ${f.cpuPerRow.mysimbdp.sink}, Kafka ${f.cpuPerRow.mysimbdp.kafka}, Cassandra ${f.cpuPerRow.mysimbdp.cassandra}); ` +
      `cqlsh COPY ${f.cpuPerRow.cqlshCopy.total} (cqlsh ${f.cpuPerRow.cqlshCopy.cqlsh}, Cassandra ${f.cpuPerRow.cqlshCopy.cassandra})`,
  );
  return `${lines.join('\n')}\n${cpu.join('\n')}\n`;
}

export async function bench(): Promise<{ peers: PeerFigures[] }> {
  await ensureEngines();
  const peers: PeerFigures[] = [];
  for (const { shape, rows } of SHAPES) peers.push(await peer(shape, rows()));
  process.stdout.write(`peer.bench (load average ${loadAverage()}):\n${peerTable(peers)}`);
  return { peers };
}

if (require.main === module) exitWhenDone(bench());
