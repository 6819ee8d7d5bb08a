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
import { engineLayout, ensureEngines } from '../../ingest/src/engines';
import { credentialsDir } from '../../ingest/src/engines/platform-credentials';
import { writeGenerated } from '../../ingest/src/gen/write-generated';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { readRecords } from '../../ingest/src/readers/read-records';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { createRowConverter } from '../../ingest/src/wrangle/row-converter';
import { ensureTopics } from '../ingest/helpers/topics';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { loadAverage, runCompiled } from './compiled-cli';
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
  readonly cqlshCopy: { readonly rowsPerSecond: number; readonly seconds: number };
  readonly ratio: number;
  readonly tables: { readonly mysimbdpRows: number; readonly copyRows: number; readonly sameRows: boolean };
  /** One-row partitions only: the raw writer's best rate and the sink's share of it. */
  readonly writerCeiling?: { readonly rowsPerSecond: number; readonly concurrency: number; readonly sinkShare: number };
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

function cqlshCopy(keyspace: string, table: string, columns: readonly string[], file: string): Promise<number> {
  const credentials = path.join(credentialsDir(engineLayout()), 'platform.cqlsh');
  const cql = `COPY ${quoteIdent(keyspace)}.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM '${file}' WITH HEADER = TRUE`;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile('cqlsh', ['127.0.0.1', '9042', '--credentials', credentials, '--request-timeout', '120', '-e', cql], { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (err !== null) return reject(new Error(`cqlsh COPY failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      resolve((performance.now() - t0) / 1000);
    });
  });
}

/** The raw driver path on the file's rows: the best rate over several concurrencies. */
async function writerCeiling(client: cassandra.Client, dataset: Dataset, file: string): Promise<{ rowsPerSecond: number; concurrency: number }> {
  const convert = createRowConverter(dataset);
  const rows: Record<string, unknown>[] = [];
  for await (const batch of readRecords(fs.createReadStream(file), dataset, 'csv', path.basename(file))) {
    for (const record of batch) {
      const converted = record.fields === undefined ? undefined : convert(record.fields).row;
      if (converted !== undefined) rows.push(converted);
    }
  }
  let best = { rowsPerSecond: 0, concurrency: 0 };
  for (const concurrency of [64, 128, 256, 512]) {
    const writer = new CassandraWriter(client, dataset, { concurrency });
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 5000) await writer.write(rows.slice(i, i + 5000));
    const rate = rows.length / ((performance.now() - t0) / 1000);
    if (rate > best.rowsPerSecond) best = { rowsPerSecond: Math.round(rate), concurrency };
  }
  return best;
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
  const batch = await runCompiled(['batch'], env);
  const sink = await runCompiled(['sink', '--client', id, '--until-idle'], env);
  if (batch.code !== 0 || sink.code !== 0) throw new Error(`mysimbdp failed: batch exit ${batch.code}, sink exit ${sink.code}`);
  const copySeconds = await cqlshCopy(copyKeyspace, dataset.table, dataset.fields.map((f) => f.name), file);

  const columns = dataset.fields.map((f) => f.name);
  const ours = await tableChecksum(client, dataset.keyspace, dataset.table, columns);
  const theirs = await tableChecksum(client, copyKeyspace, dataset.table, columns);
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
    tables: { mysimbdpRows: ours.rows, copyRows: theirs.rows, sameRows: ours.rows === theirs.rows && ours.checksum === theirs.checksum },
    ...(ceiling === undefined ? {} : { writerCeiling: { ...ceiling, sinkShare: Number((sinkRowsPerSecond / ceiling.rowsPerSecond).toFixed(2)) } }),
    loadAverage: loadAverage(),
  };
}

const n = (x: number): string => Math.round(x).toLocaleString('en-US');

/** The peer table, as the README shows it. */
export function peerTable(figures: readonly PeerFigures[]): string {
  const lines = [
    '| file | mysimbdp end to end (batch + sink) | batch CPU per row, peak RSS | sink | cqlsh COPY FROM | ratio | same rows |',
    '|---|---|---|---|---|---|---|',
    ...figures.map((f) =>
      `| ${f.shape}, ${n(f.rows)} rows | ${n(f.mysimbdp.rowsPerSecond)} rows/s (${f.mysimbdp.seconds.toFixed(1)} s) | ${f.mysimbdp.batchCpuMicrosPerRow} µs, ${f.mysimbdp.batchPeakRssMiB} MiB | ${n(f.mysimbdp.sinkRowsPerSecond)} rows/s${f.writerCeiling === undefined ? '' : ` (${f.writerCeiling.sinkShare} × the writer alone, ${n(f.writerCeiling.rowsPerSecond)} rows/s at concurrency ${f.writerCeiling.concurrency})`} | ${n(f.cqlshCopy.rowsPerSecond)} rows/s (${f.cqlshCopy.seconds.toFixed(1)} s) | ${f.ratio} | ${f.tables.sameRows ? 'yes' : 'NO'}: ${n(f.tables.mysimbdpRows)} / ${n(f.tables.copyRows)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export async function bench(): Promise<{ peers: PeerFigures[] }> {
  await ensureEngines();
  const peers: PeerFigures[] = [];
  for (const { shape, rows } of SHAPES) peers.push(await peer(shape, rows()));
  process.stdout.write(`peer.bench (load average ${loadAverage()}):\n${peerTable(peers)}`);
  return { peers };
}

if (require.main === module) exitWhenDone(bench());
