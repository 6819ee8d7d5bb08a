import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTenant, loadTenantsOrThrow } from '../../infra/tenant/load-tenants';
import { createCassandraClient } from '../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../ingest/src/cassandra/provisioner';
import { writeGenerated } from '../../ingest/src/gen/write-generated';
import { createKafka } from '../../ingest/src/kafka/kafka-client';
import { stagingLayout } from '../../ingest/src/staging/staging-layout';
import { runCli, startCli } from '../ingest/helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../ingest/helpers/tenant-dirs';
import { ensureTopics } from '../ingest/helpers/topics';

// `batch` SIGKILLed at several points of one file — at once, mid-file, with nearly every row sent,
// and with every row sent (around the move to archive) — then run again: each time the table ends
// with exactly the file's valid rows and the quarantine with exactly its rejects.

const ROWS = 40_000;
const suffix = uniqueSuffix();
const tenants = tempDir('fault-batch-tenants');
const staging = tempDir('fault-batch-staging');
const keyspaces: string[] = [];
let kafka: Kafka;
let admin: Admin;
let cass: cassandra.Client;

beforeAll(async () => {
  kafka = createKafka(`fault-batch-${suffix}`);
  admin = kafka.admin();
  await admin.connect();
  cass = createCassandraClient();
  await cass.connect();
});

afterAll(async () => {
  for (const ks of keyspaces) await cass.execute(`DROP KEYSPACE IF EXISTS "${ks}"`);
  await cass.shutdown();
  await admin.disconnect();
});

async function sent(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
}

/** When to kill, from the rows on the topic so far (`expected` = the file's valid rows). */
const POINTS: readonly [string, (rows: number, expected: number) => boolean][] = [
  ['at once', () => true],
  ['mid-file', (rows, expected) => rows > expected / 2],
  ['nearly every row sent', (rows, expected) => rows >= expected * 0.95],
  ['every row sent (the move to archive)', (rows, expected) => rows >= expected],
];

describe('batch killed at several points of a file, then run again', () => {
  it.each(POINTS)('%s', async (point, killWhen) => {
    const client = `fault_batch_${keyspaces.length}_${suffix}`;
    writeTenantDir(tenants, client, seedDataset('client_a', client));
    const dataset = findTenant(loadTenantsOrThrow(tenants), client).datasets[0]!;
    keyspaces.push(dataset.keyspace);
    await provisionDataset(cass, { client }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
    await ensureTopics(kafka, dataset);
    const layout = stagingLayout(staging, client, dataset);
    fs.mkdirSync(layout.inbox, { recursive: true });
    const gen = await writeGenerated(dataset, path.join(layout.inbox, 'run.csv'), { rows: ROWS, type: 'csv', badRatio: 0.01, seed: 7 });
    const env = { CLIENT_ID: client, SOURCE_PATH: staging, TENANTS_DIR: tenants };

    const { child, done } = startCli(['batch'], env);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !killWhen(await sent(dataset.topics.main), gen.expectedOk)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect((await done).signal, point).toBe('SIGKILL');

    const rerun = await runCli(['batch'], env);
    expect(rerun.code).toBe(0);
    expect(fs.readdirSync(layout.archive)).toEqual(['run.csv']);
    expect(fs.readdirSync(layout.processing)).toEqual([]);
    const quarantine = fs.readFileSync(path.join(layout.quarantine, 'run.csv.rejected.jsonl'), 'utf8').trim().split('\n');
    expect(quarantine).toHaveLength(gen.expectedRejected);
    const sink = await runCli(['sink', '--client', client, '--until-idle'], env);
    expect(sink.code).toBe(0);
    const rows = (await cass.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`)).rows[0]!.get('count').toNumber();
    expect(rows).toBe(gen.expectedOk);
  });
});
