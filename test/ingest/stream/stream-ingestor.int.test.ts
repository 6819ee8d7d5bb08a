import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import type * as cassandra from 'cassandra-driver';
import type { FastifyInstance } from 'fastify';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { buildApiServer } from '../../../ingest/src/api/api-server';
import { BearerTokens } from '../../../ingest/src/api/bearer-tokens';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { IngestionLog } from '../../../ingest/src/cassandra/ingestion-log';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { isEncryptedHeader } from '../../../ingest/src/crypto/encrypted-file';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { createIdempotentProducer } from '../../../ingest/src/kafka/producer';
import { ensureTopics } from '../helpers/topics';
import { createLogger } from '../../../ingest/src/log';
import { DecisionLog } from '../../../ingest/src/manager/decision-log';
import { DryRunScaleTarget } from '../../../ingest/src/manager/dry-run-scale-target';
import { StreamManager } from '../../../ingest/src/manager/stream-manager';
import { buildMonitorServer } from '../../../ingest/src/monitor/monitor-server';
import { KafkaSink } from '../../../ingest/src/sink/kafka-sink';
import { openStagedFile } from '../../../ingest/src/staging/open-staged-file';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { InboxWorker } from '../../../ingest/src/stream/inbox-worker';
import { StreamIngestor } from '../../../ingest/src/stream/stream-ingestor';
import { speedRows } from '../helpers/produce-records';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';
import { consoleProduce } from '../../helpers/kafka-console';

// api → in/ → stream (files and raw-topic messages, the batch pipeline) → Kafka → sink → Cassandra,
// with reports to a real monitor. Real engines; unique tenant, keyspace, topics and groups.
const quiet = createLogger({}, { write: () => undefined });
const TOKEN = `token-${uniqueSuffix()}`;
const REPORT_TOKEN = `report-${uniqueSuffix()}`;
const KEY = crypto.randomBytes(32);
const HEADER = 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT';

function csv(rows: Iterable<Record<string, unknown>>, bad = 0): string {
  const lines = [HEADER];
  for (const r of rows) lines.push(Object.values(r).join(','));
  for (let i = 0; i < bad; i++) lines.push(`PX,DX,not-a-number,1,1,1,1,${i},t,1,1`);
  return `${lines.join('\n')}\n`;
}

let client: string;
let tenant: Tenant;
let dataset: Dataset;
let root: string;
let cass: cassandra.Client;
let kafka: Kafka;
let producer: Producer;
let sink: KafkaSink;
let ingestor: StreamIngestor;
let api: FastifyInstance;
let apiUrl: string;
let monitor: FastifyInstance;
let manager: StreamManager;
let ingestionLog: IngestionLog;

async function count(): Promise<number> {
  const result = await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`);
  return result.rows[0]!.get('count').toNumber();
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}

async function upload(name: string, content: string, token: string | null = TOKEN, tenantId = client): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return fetch(`${apiUrl}/upload-file/${tenantId}`, { method: 'POST', body: form, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  const suffix = uniqueSuffix();
  client = `it_stream_${suffix}`;
  const agreement = { ...agreementJson(client), encryption: true, stream: { report_interval_seconds: 1, min_rows_per_second: 1_000_000, min_replicas: 1, max_replicas: 2 } };
  tenant = findTenant(loadTenantsOrThrow(writeTenantDir(tempDir('stream-tenants'), client, seedDataset('client_a', `it_stream_${suffix}`), agreement)), client);
  dataset = tenant.datasets[0]!;
  root = tempDir('stream-staging');
  cass = createCassandraClient();
  await cass.connect();
  await provisionDataset(cass, tenant, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  kafka = createKafka(`it-stream-${suffix}`);
  await ensureTopics(kafka, dataset);
  producer = createIdempotentProducer(kafka);
  await producer.connect();

  manager = new StreamManager(new DryRunScaleTarget(), new DecisionLog(), quiet);
  monitor = await buildMonitorServer({ tenants: [tenant], manager, tokens: new BearerTokens({ [client]: crypto.createHash('sha256').update(REPORT_TOKEN).digest('hex') }), windowSeconds: 30, cooldownSeconds: 0, log: quiet });
  const monitorAddress = await monitor.listen({ port: 0, host: '127.0.0.1' });

  const keys = new KeyRing(client, 'k1', new Map([['k1', KEY]]));
  api = await buildApiServer({ tenants: [tenant], tokens: new BearerTokens({ [client]: crypto.createHash('sha256').update(TOKEN).digest('hex'), other_tenant: crypto.createHash('sha256').update('other-token').digest('hex') }), sourcePath: root, keyRing: () => keys, log: quiet });
  apiUrl = await api.listen({ port: 0, host: '127.0.0.1' });

  ingestionLog = new IngestionLog(cass, [tenant]);
  sink = new KafkaSink(kafka, cass, client, dataset, { logger: quiet });
  await sink.start();
  ingestor = new StreamIngestor({
    tenant, dataset, layout: stagingLayout(root, client, dataset), kafka, producer, codec: createAvroCodec(dataset),
    ingestionLog, logger: quiet, instance: 'it-1', monitor: { url: `${monitorAddress}/reports`, token: REPORT_TOKEN },
    inbox: { rescanMs: 500 },
  });
  // openStagedFile finds the tenant's keys through ENCRYPTION_KEYS_DIR, as in a pod.
  fs.mkdirSync(path.join(root, '.keys', client), { recursive: true });
  fs.writeFileSync(path.join(root, '.keys', client, 'k1.key'), KEY.toString('base64'));
  process.env.ENCRYPTION_KEYS_DIR = path.join(root, '.keys');
  await ingestor.start();
});

afterAll(async () => {
  await ingestor?.stop();
  await sink?.stop();
  await api?.close();
  await monitor?.close();
  await producer?.disconnect();
  await cass?.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`);
  await cass?.shutdown();
  delete process.env.ENCRYPTION_KEYS_DIR;
});

describe('stream ingestion on real engines', () => {
  it('a file uploaded over HTTP (stored encrypted) ends in Cassandra with exact counts', async () => {
    const res = await upload('upload-1.csv', csv(speedRows(500), 3));
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ tenant: client, file: 'upload-1.csv', encrypted: true });
    const layout = stagingLayout(root, client, dataset);
    const archived = path.join(layout.archive, 'upload-1.csv');
    await until('the file archived', async () => fs.existsSync(archived), (v) => v);
    expect(isEncryptedHeader(fs.readFileSync(archived))).toBe(true);
    expect(await until('500 rows in Cassandra', count, (n) => n >= 500)).toBe(500);
    // the derived files are encrypted at rest too, and read back through openStagedFile
    for (const derived of [path.join(layout.quarantine, 'upload-1.csv.rejected.jsonl'), path.join(layout.out, 'upload-1.csv')]) {
      expect(isEncryptedHeader(fs.readFileSync(derived))).toBe(true);
    }
    expect((await text(openStagedFile(path.join(layout.quarantine, 'upload-1.csv.rejected.jsonl')))).trim().split('\n')).toHaveLength(3);
    expect((await text(openStagedFile(path.join(layout.out, 'upload-1.csv')))).trim().split('\n')).toHaveLength(501);
    const listing = (await (await fetch(`${apiUrl}/tenant/${client}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { files: { name: string; state: string }[] };
    expect(listing.files).toContainEqual(expect.objectContaining({ name: 'upload-1.csv', state: 'archived' }));
  });

  it('messages produced to the raw topic by Kafka\'s console producer end in Cassandra; bad ones go to the DLQ', async () => {
    const before = await count();
    const lines = [...speedRows(300, 20, 1)].map((r, i) => JSON.stringify({ ...r, PROVINCECODE: `K${i % 10}`, DEVICEID: `console-${i}` }));
    lines.push('{"PROVINCECODE": "broken"', '[1,2,3]');
    await consoleProduce(dataset.topics.raw, lines);
    expect(await until('300 more rows', count, (n) => n >= before + 300)).toBe(before + 300);
    const dlq: string[] = [];
    const consumer = kafka.consumer({ groupId: `${client}.it-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: dataset.topics.dlq, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void dlq.push(message.value!.toString()) });
    await until('the DLQ messages', async () => dlq.length, (n) => n >= 5);
    await consumer.disconnect();
    const reasons = dlq.map((v) => JSON.parse(v) as { file: string; reason: string });
    const fromMessages = reasons.filter((r) => r.file.startsWith(`${dataset.topics.raw}@`)).map((r) => r.reason);
    expect(fromMessages).toHaveLength(2);
    expect(fromMessages).toEqual(expect.arrayContaining([expect.stringMatching(/^message at partition \d+ offset \d+ is not a JSON object$/), expect.stringMatching(/^message at partition \d+ offset \d+ is not valid JSON: /)]));
  });

  it('reports reach the monitor, and a rate below the threshold leads to a scale-up decision', async () => {
    const decisions = await until('a decision', async () => manager.log.recent(client), (d) => d.some((x) => x.action === 'scale_up'));
    expect(decisions.find((d) => d.action === 'scale_up')).toMatchObject({ tenant: client, dataset: dataset.name, from: 1, to: 2, outcome: 'applied', reason: expect.stringMatching(/rows\/s < minRowsPerSecond 1000000$/) });
    const reports = (await monitor.inject({ method: 'GET', url: `/reports/${client}`, headers: { authorization: `Bearer ${REPORT_TOKEN}` } })).json() as { reports: { instance: string; rows: number }[] };
    expect(reports.reports.length).toBeGreaterThan(0);
    expect(reports.reports.every((r) => r.instance === 'it-1')).toBe(true);
  });

  it('refused uploads over real HTTP get the right 4xx and leave nothing in the staging tree', async () => {
    const layout = stagingLayout(root, client, dataset);
    const tree = (): string[] => (fs.readdirSync(layout.root, { recursive: true }) as string[]).sort();
    const before = tree();
    const ok = csv(speedRows(2));
    for (const [what, res, status, code] of [
      ['no token', await upload('a.csv', ok, null), 401, 'unauthorized'],
      ["another tenant's token", await upload('a.csv', ok, 'other-token'), 403, 'forbidden'],
      ['over max_file_size_mb', await upload('big.csv', 'x'.repeat(dataset.maxFileSizeBytes + 10)), 413, 'file_too_large'],
      ['wrong type', await upload('a.xlsx', ok), 415, 'unsupported_file_type'],
      ['../ in the name', await upload('../../x.csv', ok), 422, 'invalid_filename'],
      ['a dot-file', await upload('.hidden.csv', ok), 422, 'invalid_filename'],
      // The URL parser resolves %2e%2e to `..` before sending: the route does not exist.
      ['%2e%2e as tenant id', await upload('a.csv', ok, TOKEN, '%2e%2e'), 404, 'not_found'],
      // not a client id: refused by the route's schema before authentication
      ['%252e%252e as tenant id', await upload('a.csv', ok, TOKEN, '%252e%252e'), 400, 'invalid_request'],
    ] as const) {
      expect({ what, status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code }).toEqual({ what, status, code });
    }
    expect(tree()).toEqual(before);
  });

  it('records a file the dataset refuses once, not at every rescan, and leaves it in in/', async () => {
    const layout = stagingLayout(root, client, dataset);
    fs.writeFileSync(path.join(layout.inbox, 'notes.txt'), 'not data\n');
    const refused = async (): Promise<string[]> => {
      const reasons: string[] = [];
      for await (const e of ingestionLog.list({ client })) if (e.file === 'notes.txt') reasons.push(`${e.outcome}: ${e.reason ?? ''}`);
      return reasons;
    };
    await until('the refusal logged', refused, (r) => r.length > 0);
    await new Promise((r) => setTimeout(r, 1500)); // three more rescans
    expect(await refused()).toEqual(['refused: file type not accepted: extension ".txt"; dataset speed-tracking-data accepts .csv']);
    expect(fs.existsSync(path.join(layout.inbox, 'notes.txt'))).toBe(true);
    fs.rmSync(path.join(layout.inbox, 'notes.txt'));
  });

  it('hands a stale claim (its instance died) back to in/, where it is ingested', async () => {
    const layout = stagingLayout(root, client, dataset);
    fs.mkdirSync(layout.processing, { recursive: true });
    fs.writeFileSync(path.join(layout.processing, 'orphan.csv'), csv([...speedRows(50)].map((r) => ({ ...r, PROVINCECODE: 'ORPHAN', DEVICEID: `orphan-${String(r.IFINDEX)}` }))));
    const worker = new InboxWorker({ tenant, dataset, layout, codec: createAvroCodec(dataset), producer, ingestionLog, logger: quiet }, { staleClaimMs: 1, rescanMs: 200 });
    worker.start();
    try {
      await until('the orphan archived', async () => fs.existsSync(path.join(layout.archive, 'orphan.csv')), (v) => v);
    } finally {
      await worker.stop();
    }
    const rows = await until('the orphan rows', async () => (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}" WHERE "PROVINCECODE" = 'ORPHAN'`)).rows[0]!.get('count').toNumber() as number, (n) => n >= 50);
    expect(rows).toBe(50);
  });

  it('a stop that outlasts the shutdown grace hands the file in progress back to in/', async () => {
    // A staging area of its own: the running stream must not claim the file first.
    const layout = stagingLayout(tempDir('stream-grace'), client, dataset);
    const ctx = { tenant, dataset, layout, codec: createAvroCodec(dataset), producer, ingestionLog, logger: quiet };
    fs.mkdirSync(layout.upload, { recursive: true });
    fs.mkdirSync(layout.inbox, { recursive: true });
    fs.writeFileSync(path.join(layout.upload, 'slow.tmp'), csv([...speedRows(20_000)].map((r) => ({ ...r, PROVINCECODE: 'SLOW', DEVICEID: `slow-${String(r.IFINDEX)}` }))));
    fs.renameSync(path.join(layout.upload, 'slow.tmp'), path.join(layout.inbox, 'slow.csv'));
    const worker = new InboxWorker(ctx, { rescanMs: 60_000, shutdownGraceMs: 1 });
    worker.start();
    try {
      await until('the file claimed', async () => worker.current, (v) => v === 'slow.csv', 30_000, 5);
    } finally {
      await worker.stop();
    }
    expect(fs.existsSync(path.join(layout.inbox, 'slow.csv'))).toBe(true);
    expect(fs.existsSync(path.join(layout.processing, 'slow.csv'))).toBe(false);
    await worker.idle(); // the abandoned run ends (its archive move finds no file)
    // Another instance takes it up and ingests it in full.
    const next = new InboxWorker(ctx, { rescanMs: 60_000 });
    next.start();
    try {
      await until('slow.csv archived', async () => fs.existsSync(path.join(layout.archive, 'slow.csv')), (v) => v, 120_000);
    } finally {
      await next.stop();
    }
    const rows = await until('the slow rows', async () => (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}" WHERE "PROVINCECODE" = 'SLOW'`)).rows[0]!.get('count').toNumber() as number, (n) => n >= 20_000);
    expect(rows).toBe(20_000);
  });

  it('a graceful stop finishes the file in progress: archived, nothing left in .processing', async () => {
    const layout = stagingLayout(root, client, dataset);
    fs.writeFileSync(path.join(layout.upload, 'big.tmp'), csv([...speedRows(40_000)].map((r) => ({ ...r, PROVINCECODE: `G${String(r.IFINDEX).slice(-1)}` }))));
    fs.renameSync(path.join(layout.upload, 'big.tmp'), path.join(layout.inbox, 'big.csv'));
    await until('the file claimed', async () => ingestor.inbox.current, (v) => v === 'big.csv', 30_000, 5);
    await ingestor.stop();
    expect(fs.existsSync(path.join(layout.archive, 'big.csv'))).toBe(true);
    expect(fs.readdirSync(layout.processing)).toEqual([]);
  });
});
