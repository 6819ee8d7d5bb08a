import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auth, Client } from 'cassandra-driver';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASSANDRA_CONTACT_POINT, CASSANDRA_LOCAL_DC, KAFKA_BOOTSTRAP, engineLayout, engineStatus, ensureEngines, stopEngines } from '../../../ingest/src/engines';
import { platformCredentialsFile, readPlatformCredentials } from '../../../ingest/src/engines/platform-credentials';

const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
const platform = readPlatformCredentials(engineLayout())!;

describe('engines (real Kafka and Cassandra from the global setup)', () => {
  it('ensureEngines reuses the running engines and reports what they answered', async () => {
    const outcomes = await ensureEngines();
    expect(outcomes.map((o) => [o.name, o.state])).toEqual([
      ['kafka', 'reused'],
      ['cassandra', 'reused'],
    ]);
    expect(outcomes[1]?.answer).toMatch(/^Cassandra 5\.0\.\d+, data center datacenter1$/);
  });

  it('engineStatus reports Kafka and Cassandra up', async () => {
    const status = await engineStatus();
    expect(status.filter((s) => s.answer !== undefined).map((s) => s.name)).toEqual(expect.arrayContaining(['kafka', 'cassandra']));
  });

  it('stopEngines leaves engines it did not start alone (no pid files in another cache folder)', async () => {
    const otherCache = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-other-'));
    // the same credentials, so its status can log in; no pid files, so nothing there is its own
    const credentials = platformCredentialsFile(engineLayout(otherCache));
    fs.mkdirSync(path.dirname(credentials), { recursive: true });
    fs.copyFileSync(platformCredentialsFile(engineLayout()), credentials);
    try {
      const outcomes = await stopEngines(['kafka', 'cassandra'], otherCache);
      expect(outcomes.map((o) => [o.name, o.state, o.pid])).toEqual([
        ['kafka', 'foreign', undefined],
        ['cassandra', 'foreign', undefined],
      ]);
      const status = await engineStatus(otherCache);
      expect(status.filter((s) => s.answer !== undefined && s.pid === undefined).map((s) => s.name)).toEqual(expect.arrayContaining(['kafka', 'cassandra']));
    } finally {
      fs.rmSync(otherCache, { recursive: true, force: true });
    }
  });

  describe('Kafka', () => {
    const { username, password } = platform.kafka;
    const kafka = new Kafka({ clientId: `engines-test-${suffix}`, brokers: [KAFKA_BOOTSTRAP], sasl: { mechanism: 'scram-sha-512', username, password }, logLevel: logLevel.NOTHING });
    const topic = `engines-test.roundtrip-${suffix}`;
    const admin = kafka.admin();

    beforeAll(async () => {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    });
    afterAll(async () => {
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });

    it('round-trips messages through an idempotent producer and a consumer group', async () => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [1, 2, 3].map((n) => ({ key: `k${n}`, value: `value ${n}` })) });
      await producer.disconnect();

      const consumer = kafka.consumer({ groupId: `engines-test-${suffix}` });
      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(`${String(message.key)}=${String(message.value)}`);
            if (received.length === 3) resolve();
          },
        });
      });
      await done;
      await consumer.disconnect();
      expect(received).toEqual(['k1=value 1', 'k2=value 2', 'k3=value 3']);
    });

    it('refuses to produce to a topic nobody created (auto.create.topics.enable=false)', async () => {
      const producer = kafka.producer({ retry: { retries: 1 } });
      await producer.connect();
      await expect(producer.send({ topic: `engines-test.undeclared-${suffix}`, messages: [{ value: 'x' }] })).rejects.toThrow(
        'This server does not host this topic-partition',
      );
      await producer.disconnect();
    });
  });

  describe('Cassandra', () => {
    const client = new Client({
      contactPoints: [CASSANDRA_CONTACT_POINT],
      localDataCenter: CASSANDRA_LOCAL_DC,
      authProvider: new auth.PlainTextAuthProvider(platform.cassandra.username, platform.cassandra.password),
    });
    const keyspace = `engines_test_${suffix}`;

    beforeAll(async () => {
      await client.connect();
      await client.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}`);
    });
    afterAll(async () => {
      await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
      await client.shutdown();
    });

    it('answers SELECT release_version FROM system.local', async () => {
      const rs = await client.execute('SELECT release_version FROM system.local');
      expect(String(rs.first().get('release_version'))).toMatch(/^5\.0\./);
    });

    it('writes and reads rows of a table in data center datacenter1', async () => {
      await client.execute(`CREATE TABLE ${keyspace}."readings" ("sensorId" text, ts timestamp, value double, PRIMARY KEY ("sensorId", ts))`);
      const insert = `INSERT INTO ${keyspace}."readings" ("sensorId", ts, value) VALUES (?, ?, ?)`;
      await client.execute(insert, ['s-1', new Date('2024-01-01T00:00:00Z'), 1.5], { prepare: true });
      await client.execute(insert, ['s-1', new Date('2024-01-01T00:01:00Z'), 2.5], { prepare: true });
      const rs = await client.execute(`SELECT ts, value FROM ${keyspace}."readings" WHERE "sensorId" = ?`, ['s-1'], { prepare: true });
      expect(rs.rows.map((r) => [(r.get('ts') as Date).toISOString(), r.get('value') as number])).toEqual([
        ['2024-01-01T00:00:00.000Z', 1.5],
        ['2024-01-01T00:01:00.000Z', 2.5],
      ]);
    });
  });
});
