import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import type { Dataset } from '../../infra/tenant/types';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { engineLayout, ensureEngines, killEngine } from '../../ingest/src/engines';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { groupProgress } from '../../ingest/src/sink/kafka-sink';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { speedRows } from '../ingest/helpers/produce-records';
import type { CliResult } from '../ingest/helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { ensureTopics } from '../ingest/helpers/topics';
import { supervise } from './supervisor';

// Kafka SIGKILLed and restarted under a running stream (ingesting a file) and sink, each supervised
// as Kubernetes would: every row of the file ends in Cassandra or in quarantine with its reason,
// exactly once; the file is archived; nothing is left claimed.

const GOOD = 60_000;
const BAD = 250;
const HEADER = 'PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT';
const id = `fault_kafka_${uniqueSuffix()}`;
let tenantsDir: string;
let source: string;
let dataset: Dataset;
let kafka: Kafka;
let admin: Admin;
let cass: cassandra.Client;

beforeAll(async () => {
  tenantsDir = writeTenantDir(tempDir('fault-kafka-tenants'), id, seedDataset('client_a', id));
  dataset = findTenant(loadTenantsOrThrow(tenantsDir), id).datasets[0]!;
  source = tempDir('fault-kafka-staging');
  cass = createCassandraClient();
  await cass.connect();
  await provisionDataset(cass, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  kafka = createKafka(`fault-kafka-${id}`);
  await ensureTopics(kafka, dataset);
  admin = kafka.admin();
  await admin.connect();
});

afterAll(async () => {
  await ensureEngines({ cacheDir: engineLayout().cacheDir });
  await cass.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`);
  await cass.shutdown();
  await admin.disconnect().catch(() => undefined);
});

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('Kafka killed under a running stream and sink', () => {
  it('every row of the file ends in Cassandra or quarantine, exactly once, and the file is archived', async () => {
    const env = { SOURCE_PATH: source, TENANTS_DIR: tenantsDir, CLIENT_ID: id, STREAM_RESCAN_SECONDS: '1' };
    const stream = supervise(['stream', '--no-messages'], env);
    const sink = supervise(['sink', '--client', id], env);
    let streamRuns: CliResult[] = [];
    let sinkRuns: CliResult[] = [];
    const layout = stagingLayout(source, id, dataset);
    try {
      const lines = [HEADER];
      for (const r of speedRows(GOOD)) lines.push(Object.values(r).join(','));
      for (let i = 0; i < BAD; i++) lines.push(`PX,DX,not-a-number,1,1,1,1,${i},t,1,1`);
      fs.mkdirSync(layout.inbox, { recursive: true });
      fs.writeFileSync(path.join(source, 'upload.tmp'), `${lines.join('\n')}\n`);
      fs.renameSync(path.join(source, 'upload.tmp'), path.join(layout.inbox, 'big.csv'));

      // kill Kafka once the stream is sending the file, and before it is done with it
      await until(async () => Number((await admin.fetchTopicOffsets(dataset.topics.main))[0]?.high ?? 0) > 0, 60_000, 'the first rows on the topic');
      await admin.disconnect();
      await killEngine('kafka');
      expect(fs.existsSync(path.join(layout.archive, 'big.csv'))).toBe(false);
      await new Promise((r) => setTimeout(r, 5000));
      await ensureEngines({ cacheDir: engineLayout().cacheDir });
      admin = kafka.admin();
      await admin.connect();

      await until(async () => fs.existsSync(path.join(layout.archive, 'big.csv')), 300_000, 'the file archived');
      await until(async () => (await groupProgress(admin, `${id}.sink.${dataset.name}`, dataset.topics.main)).caughtUp, 300_000, 'the sink caught up');
    } finally {
      streamRuns = await stream.stop();
      sinkRuns = await sink.stop();
    }

    const rows = (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`)).rows[0]!.get('count').toNumber();
    const quarantined = fs.readFileSync(path.join(layout.quarantine, 'big.csv.rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string });
    expect(rows).toBe(GOOD);
    expect(quarantined).toHaveLength(BAD);
    expect(quarantined.every((q) => q.reason.length > 0)).toBe(true);
    expect(fs.readdirSync(layout.inbox).filter((f) => !f.startsWith('.'))).toEqual([]);
    expect(fs.readdirSync(layout.processing)).toEqual([]);
    // the last run of each stopped on our SIGTERM with exit 0; earlier runs (if any) exited 1 on their own
    expect([streamRuns.at(-1)?.code, sinkRuns.at(-1)?.code]).toEqual([0, 0]);
    expect([...streamRuns.slice(0, -1), ...sinkRuns.slice(0, -1)].map((r) => r.code).filter((code) => code !== 1)).toEqual([]);
    process.stderr.write(`kafka fault: ${GOOD} rows in Cassandra, ${BAD} quarantined; stream ran ${streamRuns.length}×, sink ${sinkRuns.length}×\n`);
  });
});
