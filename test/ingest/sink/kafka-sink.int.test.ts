import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import type * as cassandra from 'cassandra-driver';
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { run as runSink } from '../../../ingest/src/commands/sink';
import { createAvroCodec } from '../../../ingest/src/avro/avro-codec';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { createIdempotentProducer } from '../../../ingest/src/kafka/producer';
import { HEADER_ORDER } from '../../../ingest/src/kafka/write-order';
import { primaryKeyOf } from '../../../ingest/src/wrangle/primary-key';
import { ensureTopics } from '../helpers/topics';
import { groupProgress } from '../../../ingest/src/sink/kafka-sink';
import { produceRecords, speedRows } from '../helpers/produce-records';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';

const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');

interface Fixture {
  readonly tenantsDir: string;
  readonly tenant: Tenant;
  readonly dataset: Dataset;
}

/** A fresh client_a-shaped tenant with its own keyspace and topics. */
async function fixture(client: cassandra.Client, kafka: Kafka): Promise<Fixture> {
  const suffix = uniqueSuffix();
  const id = `it_sink_${suffix}`;
  const tenantsDir = writeTenantDir(tempDir('sink-tenants'), id, seedDataset('client_a', `it_sink_${suffix}`));
  const tenant = findTenant(loadTenantsOrThrow(tenantsDir), id);
  const dataset = tenant.datasets[0]!;
  await provisionDataset(client, tenant, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
  await ensureTopics(kafka, dataset);
  return { tenantsDir, tenant, dataset };
}

async function count(client: cassandra.Client, dataset: Dataset): Promise<number> {
  const result = await client.execute(`SELECT count(*) FROM "${dataset.keyspace}"."${dataset.table}"`);
  return result.rows[0]!.get('count').toNumber();
}

async function readDlq(kafka: Kafka, topic: string, expected: number): Promise<Record<string, unknown>[]> {
  const consumer = kafka.consumer({ groupId: `${topic}.reader.${uniqueSuffix()}` });
  const seen: Record<string, unknown>[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(JSON.parse(message.value!.toString('utf8')) as Record<string, unknown>);
        if (seen.length >= expected) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('sink (Kafka → Cassandra)', () => {
  let client: cassandra.Client;
  let kafka: Kafka;
  let admin: Admin;
  const keyspaces: string[] = [];

  beforeAll(async () => {
    client = createCassandraClient();
    await client.connect();
    kafka = createKafka('it-sink');
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    for (const ks of keyspaces) await client.execute(`DROP KEYSPACE IF EXISTS "${ks}"`);
    await admin.disconnect();
    await client.shutdown();
  });

  it('writes every row, keeps the later version of a key, sends an undecodable message to the DLQ, commits to the end', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    const rows = [...speedRows(500)];
    const later = { ...rows[10]!, SPEEDIN: 999.5, TIME: 'later' };
    await produceRecords(kafka, dataset, [...rows, { raw: Buffer.from('{"not":"avro"}'), key: '["P99","D0",0]' }, later], 'speed.csv');

    const code = await runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0']);
    expect(code).toBe(0);

    expect(await count(client, dataset)).toBe(500);
    const key = rows[10]!;
    const read = await client.execute(
      `SELECT "SPEEDIN", "TIME" FROM "${dataset.keyspace}"."analytics" WHERE "PROVINCECODE" = ? AND "DEVICEID" = ? AND "ONUID" = ?`,
      [key.PROVINCECODE, key.DEVICEID, key.ONUID],
      { prepare: true },
    );
    expect(read.rows.map((r) => [r.get('SPEEDIN'), r.get('TIME')])).toEqual([[999.5, 'later']]);

    const dlq = await readDlq(kafka, dataset.topics.dlq, 1);
    expect(dlq).toEqual([
      {
        tenant: tenant.client,
        dataset: dataset.name,
        file: 'speed.csv',
        record: 501,
        reason: 'not a Confluent Avro message: magic byte 0x7b, expected 0x00',
        rule: 'decode',
        field: null,
        value: null,
        raw: expect.objectContaining({ topic: dataset.topics.main, key: '["P99","D0",0]', value: Buffer.from('{"not":"avro"}').toString('base64') }),
      },
    ]);
    await expect(groupProgress(admin, `${tenant.client}.sink.${dataset.name}`, dataset.topics.main)).resolves.toEqual({ lag: 0, caughtUp: true });

    // A second run finds nothing to do and exits at once.
    await expect(runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0'])).resolves.toBe(0);
  });

  it('keeps the newer version of a row when an older one is replayed after it (write order, not arrival order)', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    const [row] = [...speedRows(1)];
    const codec = createAvroCodec(dataset);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const send = (speed: number, order: number) =>
      producer.send({ topic: dataset.topics.main, acks: -1, messages: [{ key: primaryKeyOf(dataset)(row!), value: codec.encode({ ...row!, SPEEDIN: speed }), headers: { [HEADER_ORDER]: String(order) } }] });
    // a later file's version, then the earlier file's version re-sent after a crash, in separate flushes
    await send(2, 1_764_720_000_000_002);
    expect(await runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle'])).toBe(0);
    await send(1, 1_764_720_000_000_001);
    await send(1, 1_764_720_000_000_001);
    await producer.disconnect();
    expect(await runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle'])).toBe(0);
    const read = await client.execute(
      `SELECT "SPEEDIN", WRITETIME("SPEEDIN") AS at FROM "${dataset.keyspace}"."analytics" WHERE "PROVINCECODE" = ? AND "DEVICEID" = ? AND "ONUID" = ?`,
      [row!.PROVINCECODE, row!.DEVICEID, row!.ONUID],
      { prepare: true },
    );
    expect(read.rows.map((r) => [r.get('SPEEDIN'), r.get('at').toString()])).toEqual([[2, '1764720000000002']]);
  });

  it('ends with the later version of every key when the versions arrive in different flushes', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    await produceRecords(kafka, dataset, speedRows(3000, 10, 0));
    await produceRecords(kafka, dataset, speedRows(3000, 10, 1));
    // 16 KiB fetches: ~100 messages per flush, so the two versions of a key are in different flushes.
    await expect(runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0', '--fetch-bytes', '16384'])).resolves.toBe(0);
    const times = new Map<string, number>();
    for (let p = 0; p < 10; p++) {
      const rows = await client.execute(`SELECT "TIME" FROM "${dataset.keyspace}"."analytics" WHERE "PROVINCECODE" = ?`, [`P${String(p).padStart(2, '0')}`], { prepare: true, fetchSize: 5000 });
      for (const r of rows.rows) times.set(r.get('TIME') as string, (times.get(r.get('TIME') as string) ?? 0) + 1);
    }
    expect(Object.fromEntries(times)).toEqual({ '2019-06-20 01:00:00': 3000 });
  });

  it('sends a row Cassandra refuses to the DLQ with rule "write" and writes the others', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    const rows = [...speedRows(10)];
    rows.splice(4, 0, { ...rows[0]!, DEVICEID: 'x'.repeat(70_000) }); // clustering value over 64 KiB
    await produceRecords(kafka, dataset, rows, 'huge.csv');
    await expect(runSink(['--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0'])).resolves.toBe(0);
    expect(await count(client, dataset)).toBe(10);
    const [dlq] = await readDlq(kafka, dataset.topics.dlq, 1);
    expect(dlq).toMatchObject({ tenant: tenant.client, file: 'huge.csv', record: 5, rule: 'write' });
    expect(dlq!.reason).toMatch(new RegExp(`^rejected by Cassandra \\(${dataset.keyspace}\\.analytics\\): .*65535`));
  });

  it('refuses to start when the table was never provisioned (nothing consumed)', async () => {
    const suffix = uniqueSuffix();
    const id = `it_sink_${suffix}`;
    const tenantsDir = writeTenantDir(tempDir('sink-tenants'), id, seedDataset('client_a', `it_sink_${suffix}`));
    await expect(runSink(['--client', id, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0'])).rejects.toThrow(
      `table it_sink_${suffix}.analytics does not exist: run mysimbdp provision first`,
    );
  });

  it('shares the topic between two sink replicas of one group through the rebalance', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    const total = 60_000;
    await produceRecords(kafka, dataset, speedRows(total, 50));
    const args = ['--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0', '--fetch-bytes', '16384'];
    const first = runSink(args);
    const groupId = `${tenant.client}.sink.${dataset.name}`;
    // the second replica joins while the first is mid-topic
    while ((await groupProgress(admin, groupId, dataset.topics.main)).lag > total * 0.8) await new Promise((resolve) => setTimeout(resolve, 200));
    const second = runSink(args);
    await expect(Promise.all([first, second])).resolves.toEqual([0, 0]);
    expect(await count(client, dataset)).toBe(total);
    await expect(groupProgress(admin, groupId, dataset.topics.main)).resolves.toEqual({ lag: 0, caughtUp: true });
  });

  it('commits offsets only after the write: a sink killed mid-topic has written everything it committed, and a restart completes it', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    const total = 30_000;
    await produceRecords(kafka, dataset, speedRows(total, 50));
    const groupId = `${tenant.client}.sink.${dataset.name}`;
    // Small fetches (many flushes) so the kill lands mid-topic.
    const args = [CLI, 'sink', '--client', tenant.client, '--tenants', tenantsDir, '--until-idle', '--metrics-port', '0', '--fetch-bytes', '16384'];

    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let flushes = 0;
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        flushes += (chunk.toString().match(/"msg":"flush"/g) ?? []).length;
        if (flushes >= 5) resolve();
      });
      child.on('exit', () => reject(new Error(`sink exited before the kill, after ${flushes} flushes`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const offsets = await admin.fetchOffsets({ groupId, topics: [dataset.topics.main] });
    const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    const written = await count(client, dataset);
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(total);
    // every committed message is in Cassandra (some written but uncommitted ones may be too)
    expect(written).toBeGreaterThanOrEqual(committed);

    const again = spawn(process.execPath, args.filter((a, i) => !(a === '--fetch-bytes' || args[i - 1] === '--fetch-bytes')), { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => again.once('exit', resolve));
    expect(code).toBe(0);
    expect(await count(client, dataset)).toBe(total);
    await expect(groupProgress(admin, groupId, dataset.topics.main)).resolves.toEqual({ lag: 0, caughtUp: true });
  });

  it('serves Prometheus metrics and its probes while running and stops cleanly on SIGTERM', async () => {
    const { tenantsDir, tenant, dataset } = await fixture(client, kafka);
    keyspaces.push(dataset.keyspace);
    await produceRecords(kafka, dataset, speedRows(5000));
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as net.AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const child = spawn(process.execPath, [CLI, 'sink', '--client', tenant.client, '--tenants', tenantsDir, '--metrics-port', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const groupId = `${tenant.client}.sink.${dataset.name}`;
    for (let i = 0; i < 240 && !(await groupProgress(admin, groupId, dataset.topics.main)).caughtUp; i++) await new Promise((r) => setTimeout(r, 500));

    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const written = new RegExp(`^mysimbdp_sink_rows_total\\{[^}]*tenant="${tenant.client}"[^}]*result="written"[^}]*\\} (\\d+)$`, 'm').exec(metrics);
    expect(Number(written?.[1])).toBe(5000);
    expect(metrics).toMatch(/^mysimbdp_sink_flush_duration_seconds_count\{[^}]*outcome="ok"[^}]*\} \d+$/m);
    expect(metrics).toMatch(new RegExp(`^mysimbdp_sink_lag_messages\\{[^}]*partition="0"[^}]*\\} 0$`, 'm'));
    // the probes the Deployment uses
    expect([(await fetch(`http://127.0.0.1:${port}/readyz`)).status, await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()]).toEqual([200, { status: 'live' }]);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stopped = stderr.split('\n').filter((l) => l.includes('"msg":"sink stopped"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(stopped).toMatchObject([{ level: 'info', reason: 'signal', signal: 'SIGTERM', tenant: tenant.client, dataset: dataset.name }]);
    const flush = stderr.split('\n').find((l) => l.includes('"msg":"flush"'));
    expect(JSON.parse(flush!)).toMatchObject({ tenant: tenant.client, dataset: dataset.name, outcome: 'ok', rows: expect.any(Number), partitions: expect.any(Number), duration_ms: expect.any(Number) });
  });
});

describe('sink on one-row partitions (client_b shape)', () => {
  it('packs many partitions into each statement on the one-node engine, and writes every row', async () => {
    const client = createCassandraClient();
    const kafka = createKafka(`it-sink-packed-${uniqueSuffix()}`);
    const id = `it_sinkb_${uniqueSuffix()}`;
    const tenantsDir = writeTenantDir(tempDir('sink-b-tenants'), id, seedDataset('client_b', id));
    const dataset = findTenant(loadTenantsOrThrow(tenantsDir), id).datasets[0]!;
    try {
      await provisionDataset(client, { client: id }, dataset, { replicationFactor: 1, dataCenter: 'datacenter1' });
      await ensureTopics(kafka, dataset);
      const rows = 600;
      await produceRecords(kafka, dataset, Array.from({ length: rows }, (_, i) => ({
        marketplace: 'US', customer_id: `C${i}`, review_id: `R${i}`, product_id: `P${i}`, product_parent: '1', product_title: 't', product_category: 'c',
        star_rating: 5, helpful_votes: 0, total_votes: 0, vine: 'N', verified_purchase: 'Y', review_headline: 'h', review_body: 'b', review_date: '2024-01-02',
      })));
      const child = spawn(process.execPath, [CLI, 'sink', '--client', id, '--tenants', tenantsDir, '--until-idle'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await expect(new Promise((resolve) => child.once('exit', resolve))).resolves.toBe(0);
      const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      await expect(lines.find((l) => l.msg === 'sink started')).toMatchObject({ batch_partitions: 50 });
      const flushes = lines.filter((l) => l.msg === 'flush');
      const statements = flushes.reduce((n, f) => n + Number(f.statements), 0);
      await expect(flushes.reduce((n, f) => n + Number(f.written), 0)).toBe(rows);
      // at most 50 partitions to a statement: never fewer statements than that allows, far fewer than rows
      await expect(statements).toBeGreaterThanOrEqual(rows / 50);
      await expect(statements).toBeLessThan(rows / 10);
      await expect(count(client, dataset)).resolves.toBe(rows);
    } finally {
      await client.execute(`DROP KEYSPACE IF EXISTS "${dataset.keyspace}"`);
      await client.shutdown();
    }
  });
});
