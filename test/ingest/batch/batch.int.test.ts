import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Dataset } from '../../../infra/tenant/types';
import { fileOrder } from '../../../ingest/src/kafka/write-order';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { IngestionLog, type FileLogEntry } from '../../../ingest/src/cassandra/ingestion-log';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { ensureTopics } from '../helpers/topics';
import { writeGenerated, type GenSummary } from '../../../ingest/src/gen/write-generated';
import { stagingLayout, type StagingLayout } from '../../../ingest/src/staging/staging-layout';
import { readRecords } from '../../../ingest/src/readers/read-records';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';
import { createRowConverter } from '../../../ingest/src/wrangle/row-converter';
import { runCli, startCli, type CliResult } from '../helpers/run-cli';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';
import { consoleConsume } from '../../helpers/kafka-console';

// `mysimbdp batch` as the CronJob runs it (a child process), against the real engines, then
// `mysimbdp sink --until-idle` into Cassandra. Unique tenants, keyspaces, topics and groups per run.
const suffix = uniqueSuffix();
const A = `ba_${suffix}`;
const B = `bb_${suffix}`;
const TENANTS = tempDir('batch-tenants');
const STAGING = tempDir('batch-staging');

let kafka: Kafka;
let admin: Admin;
let cass: cassandra.Client;
let log: IngestionLog;
const datasets = new Map<string, Dataset>();

const env = (client: string): NodeJS.ProcessEnv => ({ CLIENT_ID: client, SOURCE_PATH: STAGING, TENANTS_DIR: TENANTS, DATASET: '' });
const layoutOf = (client: string): StagingLayout => stagingLayout(STAGING, client, datasets.get(client)!);
const fileLog = (r: CliResult, file: string): Record<string, unknown> | undefined => r.logs.find((l) => l.msg === 'file' && l.file === file);

async function messageCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
}

async function tableRows(ds: Dataset, columns: readonly string[]): Promise<cassandra.types.Row[]> {
  const rows: cassandra.types.Row[] = [];
  const result = await cass.execute(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${ds.keyspace}"."${ds.table}"`, [], { fetchSize: 5000 });
  for await (const row of result) rows.push(row);
  return rows;
}

/** Keys of the rows in a wrangled out/ file (read back through the pipeline's own reader and converter). */
async function outKeys(ds: Dataset, file: string): Promise<string[]> {
  const convert = createRowConverter(ds);
  const keyOf = primaryKeyOf(ds);
  const keys: string[] = [];
  for await (const batch of readRecords(fs.createReadStream(file), ds, 'csv', path.basename(file))) {
    for (const rec of batch) keys.push(keyOf(convert(rec.fields!).row!));
  }
  return keys;
}

async function logEntries(client: string, file: string): Promise<FileLogEntry[]> {
  const out: FileLogEntry[] = [];
  for await (const e of log.list({ client })) if (e.file === file) out.push(e);
  return out;
}

async function sinkUntilIdle(client: string): Promise<void> {
  const r = await runCli(['sink', '--client', client, '--until-idle', '--metrics-port', '0'], env(client));
  if (r.code !== 0) throw new Error(`sink exited ${r.code}: ${r.stderr}`);
}

beforeAll(async () => {
  writeTenantDir(TENANTS, A, seedDataset('client_a', `it_a_${suffix}`), agreementJson(A));
  writeTenantDir(TENANTS, B, { ...seedDataset('client_b', `it_b_${suffix}`), max_file_size_mb: 0.05 }, agreementJson(B));
  const tenants = loadTenantsOrThrow(TENANTS);
  kafka = createKafka(`batch-int-${suffix}`);
  admin = kafka.admin();
  await admin.connect();
  cass = createCassandraClient();
  await cass.connect();
  log = new IngestionLog(cass, tenants);
  for (const client of [A, B]) {
    const tenant = findTenant(tenants, client);
    const ds = tenant.datasets[0]!;
    datasets.set(client, ds);
    await provisionDataset(cass, tenant, ds, { replicationFactor: 1, dataCenter: 'datacenter1' });
    await ensureTopics(kafka, ds);
  }
});

afterAll(async () => {
  await admin?.disconnect();
  await cass?.shutdown();
});

describe('batch (client_a seed schema)', () => {
  let gen: GenSummary;
  let first: CliResult;

  beforeAll(async () => {
    const ds = datasets.get(A)!;
    fs.mkdirSync(layoutOf(A).inbox, { recursive: true });
    gen = await writeGenerated(ds, path.join(layoutOf(A).inbox, 'speed-1.csv'), { rows: 3000, type: 'csv', badRatio: 0.1, seed: 11 });
    // progress at every chunk read, not every 5 s
    first = await runCli(['batch'], { ...env(A), PROGRESS_SECONDS: '0' });
  });

  it('reports progress while it reads the file, each pass from zero to the whole file', async () => {
    const bytes = fs.statSync(path.join(layoutOf(A).archive, 'speed-1.csv')).size;
    const lines = first.logs.filter((l) => l.msg === 'progress');
    await expect(new Set(lines.map((l) => `${l.command} ${l.tenant} ${l.file}`))).toEqual(new Set([`batch ${A} speed-1.csv`]));
    const passes = [...new Set(lines.map((l) => l.pass as number))];
    // de-duplication reads the file twice (pipeline.ts)
    await expect(passes).toEqual([1, 2]);
    for (const pass of passes) {
      const last = lines.filter((l) => l.pass === pass).at(-1)!;
      await expect([last.rows, last.mb, last.percent]).toEqual([gen.rows, Math.round(bytes / 100_000) / 10, 100]);
    }
  });

  it('exits 0 and logs one line for the file with exact counts', async () => {
    await expect(first.code).toBe(0);
    await expect(gen.expectedRejected).toBeGreaterThan(100);
    await expect(gen.expectedDeduplicated).toBeGreaterThan(10);
    await expect(fileLog(first, 'speed-1.csv')).toMatchObject({
      level: 'info', tenant: A, dataset: 'speed-tracking-data', outcome: 'archived', bytes: fs.statSync(path.join(layoutOf(A).archive, 'speed-1.csv')).size,
      rows_ok: gen.expectedOk, rows_rejected: gen.expectedRejected, rows_deduplicated: gen.expectedDeduplicated,
    });
  });

  it('archives the file and writes the wrangled out/ file and the quarantine file', async () => {
    const l = layoutOf(A);
    await expect(fs.readdirSync(l.inbox).filter((f) => !f.startsWith('.'))).toEqual([]);
    await expect(fs.readdirSync(l.processing)).toEqual([]);
    await expect(fs.readdirSync(l.archive)).toEqual(['speed-1.csv']);
    const keys = await outKeys(datasets.get(A)!, path.join(l.out, 'speed-1.csv'));
    await expect(keys.length).toBe(gen.expectedOk);
    await expect(new Set(keys).size).toBe(gen.expectedOk);
    const quarantined = fs.readFileSync(path.join(l.quarantine, 'speed-1.csv.rejected.jsonl'), 'utf8').trim().split('\n').map((x) => JSON.parse(x) as Record<string, unknown>);
    await expect(quarantined.length).toBe(gen.expectedRejected);
    for (const q of quarantined) {
      await expect(Object.keys(q)).toEqual(['tenant', 'dataset', 'file', 'record', 'reason', 'rule', 'field', 'value', 'raw']);
      await expect(['parse', 'schema']).toContain(q.rule);
    }
    await expect(quarantined.filter((q) => q.rule === 'parse').length).toBe(gen.bad.columns + gen.bad.syntax);
    await expect(quarantined.find((q) => q.rule === 'parse' && String(q.reason).includes('after closing quote'))?.reason).toMatch(/^line \d+: unexpected character "y" after closing quote$/);
  });

  it('records the file in the ingestion log with its quality figures', async () => {
    const [entry] = await logEntries(A, 'speed-1.csv');
    await expect(entry).toMatchObject({ outcome: 'archived', rowsOk: gen.expectedOk, rowsRejected: gen.expectedRejected, rowsDeduplicated: gen.expectedDeduplicated });
    await expect((entry!.quality.parse ?? 0) + (entry!.quality.schema ?? 0)).toBe(gen.expectedRejected);
    await expect(entry!.fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('puts exactly the valid rows on the topic (Avro, keyed by primary key) and the rejects on the DLQ', async () => {
    const ds = datasets.get(A)!;
    await expect(await messageCount(ds.topics.main)).toBe(gen.expectedOk);
    await expect(await messageCount(ds.topics.dlq)).toBe(gen.expectedRejected);
    // An independent client: Kafka's console consumer reads headers and keys.
    const lines = await consoleConsume(ds.topics.main, ['print.headers=true', 'print.key=true', 'print.value=false', 'key.separator=|']);
    await expect(lines.length).toBe(gen.expectedOk);
    const outKeySet = new Set(await outKeys(ds, path.join(layoutOf(A).out, 'speed-1.csv')));
    // every row's write order is the file's modification time in µs (the archive move keeps it)
    const order = fileOrder(fs.statSync(path.join(layoutOf(A).archive, 'speed-1.csv'), { bigint: true }).mtimeNs);
    for (const line of lines) {
      const [headers, key] = line.split('|');
      await expect(outKeySet.has(key!)).toBe(true);
      await expect(headers).toMatch(new RegExp(`^mysimbdp-file:speed-1\\.csv,mysimbdp-row:\\d+,mysimbdp-ingest-ts:\\d+,mysimbdp-order:${order}$`));
    }
    // kafkajs: values decode with the dataset's codec (magic byte + schema id).
    const codec = createAvroCodec(ds);
    const consumer = kafka.consumer({ groupId: `${A}.check.${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic: ds.topics.main, fromBeginning: true });
    const decoded: Record<string, unknown>[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async ({ message }) => { decoded.push(codec.decode(message.value!)); if (decoded.length === gen.expectedOk) resolve(); } }).catch(reject);
    });
    await consumer.disconnect();
    await expect(decoded.every((r) => typeof r.ONUID === 'number' && typeof r.SPEEDIN === 'number')).toBe(true);
  });

  it('ends in Cassandra with exactly the out/ file\'s rows', async () => {
    const ds = datasets.get(A)!;
    await sinkUntilIdle(A);
    const rows = await tableRows(ds, ['PROVINCECODE', 'DEVICEID', 'ONUID']);
    const keys = rows.map((r) => JSON.stringify([r.get('PROVINCECODE'), r.get('DEVICEID'), r.get('ONUID')])).sort();
    await expect(keys).toEqual((await outKeys(ds, path.join(layoutOf(A).out, 'speed-1.csv'))).sort());
  });

  it('adds nothing when the same content arrives again (skipped, archived)', async () => {
    const ds = datasets.get(A)!;
    const before = await messageCount(ds.topics.main);
    fs.copyFileSync(path.join(layoutOf(A).archive, 'speed-1.csv'), path.join(layoutOf(A).inbox, 'speed-1-again.csv'));
    const r = await runCli(['batch'], env(A));
    await expect(r.code).toBe(0);
    await expect(fileLog(r, 'speed-1-again.csv')).toMatchObject({ outcome: 'skipped', rows_ok: 0, error: expect.stringMatching(/^identical content \(sha256 [0-9a-f]{64}\) was already ingested$/) });
    await expect(await messageCount(ds.topics.main)).toBe(before);
    await expect(fs.readdirSync(layoutOf(A).archive).sort()).toEqual(['speed-1-again.csv', 'speed-1.csv']);
    await expect((await logEntries(A, 'speed-1-again.csv'))[0]?.outcome).toBe('skipped');
    await sinkUntilIdle(A);
    await expect((await tableRows(ds, ['ONUID'])).length).toBe(gen.expectedOk);
  });
});

describe('batch (client_b seed schema: quoted text with line breaks, field-level date)', () => {
  it('lands the exact rows, bodies with line breaks and dates intact; refuses oversized and wrong-type files, leaving them intact', async () => {
    const ds = datasets.get(B)!;
    const l = layoutOf(B);
    fs.mkdirSync(l.inbox, { recursive: true });
    const gen = await writeGenerated(ds, path.join(l.inbox, 'reviews.csv'), { rows: 80, type: 'csv', badRatio: 0.2, seed: 5 });
    await writeGenerated(ds, path.join(l.inbox, 'big.csv'), { rows: 400, type: 'csv', seed: 6 });
    fs.writeFileSync(path.join(l.inbox, 'notes.txt'), 'not a dataset file\n');
    const bigBefore = fs.readFileSync(path.join(l.inbox, 'big.csv'));
    const mtimeBefore = fs.statSync(path.join(l.inbox, 'big.csv')).mtimeMs;

    const r = await runCli(['batch'], env(B));
    await expect(r.code).toBe(0);
    await expect(fileLog(r, 'reviews.csv')).toMatchObject({ outcome: 'archived', rows_ok: gen.expectedOk, rows_rejected: gen.expectedRejected });
    await expect(fileLog(r, 'big.csv')).toMatchObject({
      level: 'error', outcome: 'refused', error: `file too large: ${bigBefore.length} bytes exceeds max_file_size_mb 0.05 (52428 bytes)`,
    });
    await expect(fileLog(r, 'notes.txt')).toMatchObject({ outcome: 'refused', error: 'file type not accepted: extension ".txt"; dataset amazon-product-review-data accepts .csv' });
    await expect(fs.readFileSync(path.join(l.inbox, 'big.csv')).equals(bigBefore)).toBe(true);
    await expect(fs.statSync(path.join(l.inbox, 'big.csv')).mtimeMs).toBe(mtimeBefore);
    await expect(fs.readdirSync(l.inbox).filter((f) => !f.startsWith('.')).sort()).toEqual(['big.csv', 'notes.txt']);
    await expect((await logEntries(B, 'big.csv'))[0]).toMatchObject({ outcome: 'refused', bytes: bigBefore.length });

    await sinkUntilIdle(B);
    const rows = await tableRows(ds, ['product_id', 'review_id', 'customer_id', 'review_body', 'review_date']);
    await expect(rows.length).toBe(gen.expectedOk);
    const outText = fs.readFileSync(path.join(l.out, 'reviews.csv'), 'utf8');
    const withBreak = rows.find((row) => String(row.get('review_body')).includes('\n'));
    await expect(withBreak).toBeDefined();
    await expect(outText).toContain(`"${String(withBreak!.get('review_body')).replace(/"/g, '""')}"`);
    await expect(rows.every((row) => /^\d{4}-\d{2}-\d{2}$/.test(String(row.get('review_date'))))).toBe(true);
  });
});

describe('batch with a file it cannot read', () => {
  it('moves it to failed/ with a reason file and exits 1', async () => {
    const l = layoutOf(B);
    fs.mkdirSync(l.inbox, { recursive: true });
    fs.writeFileSync(path.join(l.inbox, 'no-header.csv'), 'product_id,review_id\nP1,R1\n');
    const r = await runCli(['batch'], env(B));
    await expect(r.code).toBe(1);
    const reason = 'no-header.csv: header lacks required column(s) "marketplace", "customer_id", "product_parent", "product_title", "product_category", "star_rating", "helpful_votes", "total_votes", "vine", "verified_purchase", "review_headline", "review_body", "review_date"';
    await expect(fileLog(r, 'no-header.csv')).toMatchObject({ level: 'error', outcome: 'failed', error: reason });
    await expect(JSON.parse(fs.readFileSync(path.join(l.failed, 'no-header.csv.reason.json'), 'utf8'))).toMatchObject({ tenant: B, file: 'no-header.csv', reason });
    await expect(fs.readFileSync(path.join(l.failed, 'no-header.csv'), 'utf8')).toBe('product_id,review_id\nP1,R1\n');
    await expect((await logEntries(B, 'no-header.csv'))[0]).toMatchObject({ outcome: 'failed', reason });
  });
});

describe('batch killed mid-file', () => {
  it('leaves the file in .processing; the re-run archives it and Cassandra holds exactly the expected rows', async () => {
    const K = `bk_${suffix}`;
    writeTenantDir(TENANTS, K, seedDataset('client_a', `it_k_${suffix}`), agreementJson(K));
    const tenant = findTenant(loadTenantsOrThrow(TENANTS), K);
    const ds = tenant.datasets[0]!;
    datasets.set(K, ds);
    await provisionDataset(cass, tenant, ds, { replicationFactor: 1, dataCenter: 'datacenter1' });
    await ensureTopics(kafka, ds);
    const l = layoutOf(K);
    fs.mkdirSync(l.inbox, { recursive: true });
    const gen = await writeGenerated(ds, path.join(l.inbox, 'big-run.csv'), { rows: 60_000, type: 'csv', badRatio: 0.01, seed: 9 });

    const { child, done } = startCli(['batch'], env(K));
    // Kill -9 once some, but not all, rows are on the topic.
    const deadline = Date.now() + 120_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = await messageCount(ds.topics.main);
      if (sent > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    const killed = await done;
    await expect(killed.signal).toBe('SIGKILL');
    await expect(sent).toBeGreaterThan(0);
    await expect(sent).toBeLessThan(gen.expectedOk);
    await expect(fs.readdirSync(l.processing)).toEqual(['big-run.csv']);
    await expect(fs.existsSync(path.join(l.archive, 'big-run.csv'))).toBe(false);
    await expect(fs.existsSync(path.join(l.out, 'big-run.csv'))).toBe(false);

    const rerun = await runCli(['batch'], env(K));
    await expect(rerun.code).toBe(0);
    await expect(rerun.logs.some((x) => x.msg === 'resuming a file a previous run left in .processing' && x.file === 'big-run.csv')).toBe(true);
    await expect(fileLog(rerun, 'big-run.csv')).toMatchObject({ outcome: 'archived', rows_ok: gen.expectedOk, rows_rejected: gen.expectedRejected, rows_deduplicated: gen.expectedDeduplicated });
    await expect(fs.readdirSync(l.processing)).toEqual([]);
    await sinkUntilIdle(K);
    const [{ count }] = (await cass.execute(`SELECT count(*) AS count FROM "${ds.keyspace}"."${ds.table}"`)).rows.map((r) => ({ count: Number(r.get('count')) }));
    await expect(count).toBe(gen.expectedOk);
  });
});
