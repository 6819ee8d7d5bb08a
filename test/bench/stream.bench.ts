// Upload → Cassandra latency and stream throughput on the local engines, everything in this process:
// upload API (real HTTP) → in/ → stream (fs.watch) → pipeline → Kafka → sink → Cassandra.
// 1. Latency: BENCH_STREAM_UPLOADS (default 10) files of BENCH_STREAM_FILE_ROWS (default 1000) rows,
//    one at a time, plaintext and then stored encrypted (AES-256-GCM at rest): time from the POST to
//    the last row readable in Cassandra.
// 2. Throughput: BENCH_STREAM_MESSAGES (default 100000) JSON messages produced to the raw topic:
//    rows/s until the stream group caught up (raw → validated topic) and until all rows are in Cassandra.
// Run alone: npx tsx test/bench/stream.bench.ts
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import { Partitioners, type Kafka } from 'kafkajs';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset, Tenant } from '../../infra/tenant/types';
import { buildApiServer } from '../../ingest/src/api/api-server';
import { BearerTokens } from '../../ingest/src/api/bearer-tokens';
import { createAvroCodec } from '../../ingest/src/avro/avro-codec';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { IngestionLog } from '../../ingest/src/cassandra/ingestion-log';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { KeyRing } from '../../ingest/src/crypto/key-ring';
import { ensureEngines } from '../../ingest/src/engines';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { createIdempotentProducer } from '../../ingest/src/kafka/producer';
import { ensureTopics } from '../ingest/helpers/topics';
import { createLogger } from '../../ingest/src/log';
import { groupProgress, KafkaSink } from '../../ingest/src/sink/kafka-sink';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { streamGroupId } from '../../ingest/src/stream/raw-consumer';
import { StreamIngestor } from '../../ingest/src/stream/stream-ingestor';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { exitWhenDone } from './exit-when-done';

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
};
const quiet = createLogger({}, { write: (line) => void (line.includes('"level":"error"') && process.stderr.write(line)) });
const TOKEN = 'bench-token';
const HEADER = 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] as number;
}

async function partitionCount(cass: cassandra.Client, dataset: Dataset, key: string): Promise<number> {
  const r = await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}" WHERE "PROVINCECODE" = ?`, [key], { prepare: true, readTimeout: 60_000 });
  return r.rows[0]!.get('count').toNumber();
}

interface Platform {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly apiUrl: string;
  stop(): Promise<void>;
}

async function startPlatform(kafka: Kafka, cass: cassandra.Client, encryption: boolean): Promise<Platform> {
  const id = `bench_stream_${uniqueSuffix()}`;
  const tenantsDir = writeTenantDir(tempDir('bench-stream'), id, seedDataset('client_a', id), { ...agreementJson(id), encryption });
  const tenant = findTenant(loadTenantsOrThrow(tenantsDir), id);
  const dataset = tenant.datasets[0]!;
  await provisionDataset(cass, tenant, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(kafka, dataset);
  const root = tempDir('bench-stream-staging');
  const key = crypto.randomBytes(32);
  fs.mkdirSync(path.join(root, '.keys', id), { recursive: true });
  fs.writeFileSync(path.join(root, '.keys', id, 'k1.key'), key);
  process.env.ENCRYPTION_KEYS_DIR = path.join(root, '.keys');
  const keys = new KeyRing(id, 'k1', new Map([['k1', key]]));
  const api = await buildApiServer({ tenants: [tenant], tokens: new BearerTokens({ [id]: crypto.createHash('sha256').update(TOKEN).digest('hex') }), sourcePath: root, keyRing: () => keys, log: quiet });
  const apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const sink = new KafkaSink(kafka, cass, id, dataset, { logger: quiet });
  await sink.start();
  const ingestor = new StreamIngestor({
    tenant, dataset, layout: stagingLayout(root, id, dataset), kafka, producer, codec: createAvroCodec(dataset),
    ingestionLog: new IngestionLog(cass, [tenant]), logger: quiet, instance: 'bench', inbox: { rescanMs: 1000 },
  });
  await ingestor.start();
  return {
    tenant, dataset, apiUrl,
    stop: async () => {
      await ingestor.stop();
      await sink.stop();
      await producer.disconnect();
      await api.close();
      await cass.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`, [], { readTimeout: 120_000 });
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [dataset.topics.main, dataset.topics.raw, dataset.topics.dlq] });
      await admin.disconnect();
    },
  };
}

async function latency(kafka: Kafka, cass: cassandra.Client, encryption: boolean, uploads: number, rows: number): Promise<string> {
  const platform = await startPlatform(kafka, cass, encryption);
  const { tenant, dataset, apiUrl } = platform;
  const totals: number[] = [];
  const posts: number[] = [];
  try {
    for (let i = 0; i < uploads; i++) {
      const province = `L${i}`;
      const lines = [HEADER];
      for (let r = 0; r < rows; r++) lines.push(`${province},D${r},${r},1,1,1,1,${r % 7},2019-06-20 00:00:00,${r}.5,${r}`);
      const form = new FormData();
      form.append('file', new Blob([`${lines.join('\n')}\n`]), `bench-${i}.csv`);
      const t0 = performance.now();
      const res = await fetch(`${apiUrl}/upload-file/${tenant.client}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKEN}` } });
      posts.push(performance.now() - t0);
      if (res.status !== 201) throw new Error(`upload ${i}: HTTP ${res.status} ${await res.text()}`);
      while ((await partitionCount(cass, dataset, province)) < rows) await sleep(20);
      totals.push(performance.now() - t0);
    }
  } finally {
    await platform.stop();
  }
  const sorted = [...totals].sort((a, b) => a - b);
  const median = percentile(sorted, 0.5);
  return `  ${encryption ? 'encrypted' : 'plaintext'} uploads: ${uploads} × ${rows} rows — upload→Cassandra median ${median.toFixed(0)} ms, p95 ${percentile(sorted, 0.95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (HTTP POST alone median ${percentile([...posts].sort((a, b) => a - b), 0.5).toFixed(0)} ms)\n`;
}

async function throughput(kafka: Kafka, cass: cassandra.Client, messages: number): Promise<string> {
  const platform = await startPlatform(kafka, cass, false);
  const { tenant, dataset } = platform;
  const provinces = 20;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const admin = kafka.admin();
  await producer.connect();
  await admin.connect();
  try {
    const t0 = performance.now();
    for (let start = 0; start < messages; start += 5000) {
      const batch = [];
      for (let i = start; i < Math.min(messages, start + 5000); i++) {
        batch.push({ value: JSON.stringify({ PROVINCECODE: `T${i % provinces}`, DEVICEID: `D${i}`, IFINDEX: i, FRAME: 1, SLOT: 2, PORT: 3, ONUINDEX: 4, ONUID: i % 7, TIME: '2019-06-20 00:00:00', SPEEDIN: i + 0.5, SPEEDOUT: i }) });
      }
      await producer.send({ topic: dataset.topics.raw, messages: batch });
    }
    const produced = performance.now() - t0;
    while (!(await groupProgress(admin, streamGroupId(tenant, dataset), dataset.topics.raw)).caughtUp) await sleep(100);
    const streamed = performance.now() - t0;
    let written = 0;
    while (written < messages) {
      await sleep(200);
      written = 0;
      for (let p = 0; p < provinces; p++) written += await partitionCount(cass, dataset, `T${p}`);
    }
    const stored = performance.now() - t0;
    const rate = (ms: number): string => `${Math.round(messages / (ms / 1000))} rows/s`;
    return (
      `  raw-topic throughput: ${messages} JSON messages — produced in ${(produced / 1000).toFixed(1)} s; ` +
      `stream caught up after ${(streamed / 1000).toFixed(1)} s (${rate(streamed)}); all rows in Cassandra after ${(stored / 1000).toFixed(1)} s (${rate(stored)}), rows ${written}\n`
    );
  } finally {
    await producer.disconnect();
    await admin.disconnect();
    await platform.stop();
  }
}

export async function bench(): Promise<void> {
  const uploads = int('BENCH_STREAM_UPLOADS', 10);
  const fileRows = int('BENCH_STREAM_FILE_ROWS', 1000);
  const messages = int('BENCH_STREAM_MESSAGES', 100_000);
  await ensureEngines();
  const cass = createCassandraClient();
  await cass.connect();
  const kafka = createKafka('bench-stream');
  try {
    process.stdout.write(`stream.bench (machine load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})\n`);
    if (uploads > 0) {
      process.stdout.write(await latency(kafka, cass, false, uploads, fileRows));
      process.stdout.write(await latency(kafka, cass, true, uploads, fileRows));
    }
    process.stdout.write(await throughput(kafka, cass, messages));
  } finally {
    await cass.shutdown();
  }
}

if (require.main === module) exitWhenDone(bench());
