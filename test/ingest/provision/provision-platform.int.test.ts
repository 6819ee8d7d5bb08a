import * as fs from 'node:fs';
import * as path from 'node:path';
import * as cassandra from 'cassandra-driver';
import { Kafka, KafkaJSSASLAuthenticationError, logLevel, type KafkaConfig } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCassandraCredentials, type CassandraCredentials, type EngineCredentials } from '../../../infra/credentials';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import type { Tenant } from '../../../infra/tenant/types';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { LOG_TABLES } from '../../../ingest/src/cassandra/ingestion-log';
import { readCredentialsFile } from '../../../ingest/src/credentials/credentials-file';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';
import { provisionPlatform, type ProvisionEvent } from '../../../ingest/src/provision/provision-platform';
import { engineSettings } from '../../../ingest/src/settings';
import { consoleConsume } from '../../helpers/kafka-console';
import { runCli } from '../helpers/run-cli';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

// Tenant isolation on the real engines: tenant A, with the credentials provisioning gave it, is
// refused everything of tenant B (each refusal by the engine's own error code) and anything that
// changes the platform, while its own work passes end to end.

const suffix = uniqueSuffix();
const A = `it_iso_a_${suffix}`;
const B = `it_iso_b_${suffix}`;
// a console role of this run's own: provisioning sets its password, which must not touch the shared mysimbdp_console
const CONSOLE = `it_console_${suffix}`;
const tenantsDir = tempDir('isolation-tenants');
const credentialsDir = tempDir('isolation-credentials');
const staging = tempDir('isolation-staging');
let tenantA: Tenant;
let tenantB: Tenant;
let credsA: EngineCredentials;
let platform: cassandra.Client;
const events: ProvisionEvent[] = [];

/** The broker's error type kafkajs reports, wherever it wraps it (an aggregate: its first error's). */
function kafkaErrorType(err: unknown): string | undefined {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 8; depth++) {
    const { type, cause, originalError, errors } = e as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown[] };
    if (typeof type === 'string' && type !== 'UNKNOWN') return type;
    e = cause ?? originalError ?? errors?.[0];
  }
  return undefined;
}

async function kafkaRefusal(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
    return 'accepted';
  } catch (err) {
    return kafkaErrorType(err);
  }
}

async function cassandraRefusal(client: cassandra.Client, cql: string, params: unknown[] = []): Promise<number | string> {
  try {
    await client.execute(cql, params, { prepare: params.length > 0 });
    return 'accepted';
  } catch (err) {
    return err instanceof cassandra.errors.ResponseError ? err.code : String(err);
  }
}

const kafkaAs = (c: EngineCredentials, extra: Partial<KafkaConfig> = {}): Kafka =>
  new Kafka({
    clientId: `isolation-${suffix}`,
    brokers: [c.kafka.bootstrap],
    sasl: { mechanism: 'scram-sha-512', username: c.kafka.username, password: c.kafka.password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...extra,
  });

const cassandraAs = (c: EngineCredentials): cassandra.Client =>
  new cassandra.Client({
    contactPoints: [c.cassandra.contact_points],
    localDataCenter: c.cassandra.local_dc,
    authProvider: new cassandra.auth.PlainTextAuthProvider(c.cassandra.username, c.cassandra.password),
  });

beforeAll(async () => {
  writeTenantDir(tenantsDir, A, seedDataset('client_a', `it_iso_a_${suffix}`));
  writeTenantDir(tenantsDir, B, seedDataset('client_a', `it_iso_b_${suffix}`));
  const tenants = loadTenantsOrThrow(tenantsDir);
  [tenantA, tenantB] = [findTenant(tenants, A), findTenant(tenants, B)];
  const refused = await provisionPlatform({ tenants, settings: engineSettings(), replicationFactor: 1, credentialsDir, consoleRole: CONSOLE, kafka: true, report: (e) => events.push(e) });
  expect(refused).toBe(0);
  credsA = readCredentialsFile(path.join(credentialsDir, `${A}.json`)) as EngineCredentials;
  platform = createCassandraClient();
}, 120_000);

afterAll(async () => {
  for (const t of [tenantA, tenantB]) {
    await platform.execute(`DROP KEYSPACE IF EXISTS ${t.datasets[0]!.keyspace}`);
    await platform.execute(`DROP ROLE IF EXISTS ${t.client}`);
  }
  await platform.execute(`DROP ROLE IF EXISTS ${CONSOLE}`);
  await platform.shutdown();
});

describe('provisionPlatform', () => {
  it('gives each tenant its own credentials file, role and Kafka user, as the platform', async () => {
    await expect(events.filter((e) => e.kind === 'credentials').map((e) => e.kind === 'credentials' && e.created)).toEqual([true, true]);
    await expect(events.filter((e) => e.kind === 'role').map((e) => e.kind === 'role' && [e.role, e.action, e.granted])).toEqual([
      [A, 'created', [`SELECT it_iso_a_${suffix}`, `MODIFY it_iso_a_${suffix}`]],
      [B, 'created', [`SELECT it_iso_b_${suffix}`, `MODIFY it_iso_b_${suffix}`]],
    ]);
    await expect(events.filter((e) => e.kind === 'kafka-user').map((e) => e.kind === 'kafka-user' && [e.user, e.acls])).toEqual([
      [A.replace(/_/g, '-'), 8],
      [B.replace(/_/g, '-'), 8],
    ]);
    await expect(fs.statSync(path.join(credentialsDir, `${A}.json`)).mode & 0o777).toBe(0o600);
  });
});

describe('tenant isolation on Kafka', () => {
  const topics = (t: Tenant) => t.datasets[0]!.topics;

  it('A writes its own topics, and is refused B\'s main, raw and DLQ topics', async () => {
    const producer = kafkaAs(credsA).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await expect(producer.send({ topic: topics(tenantA).raw, messages: [{ value: '{}' }] })).resolves.toHaveLength(1);
      for (const topic of [topics(tenantB).main, topics(tenantB).raw, topics(tenantB).dlq]) {
        await expect(kafkaRefusal(() => producer.send({ topic, messages: [{ value: 'x' }] }))).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
      }
    } finally {
      await producer.disconnect();
    }
  });

  it('A cannot read B\'s topics, even in a group of its own', async () => {
    const admin = kafkaAs(credsA).admin();
    await admin.connect();
    try {
      await expect(kafkaRefusal(() => admin.fetchTopicOffsets(topics(tenantB).main))).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
      await expect(admin.fetchTopicOffsets(topics(tenantA).main)).resolves.toHaveLength(tenantA.agreement.kafka.partitions);
    } finally {
      await admin.disconnect();
    }
    const consumer = kafkaAs(credsA).consumer({ groupId: `${A}.reader`, retry: { retries: 0 } });
    await consumer.connect();
    try {
      await expect(kafkaRefusal(() => consumer.subscribe({ topic: topics(tenantB).dlq, fromBeginning: true }))).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await consumer.disconnect();
    }
  });

  it('A cannot join B\'s consumer group, even to read its own topic', async () => {
    // kafkajs turns the refused coordinator lookup into "Failed to find group coordinator"; Kafka's
    // own Java consumer reports the broker's GROUP_AUTHORIZATION_FAILED as it is
    await expect(consoleConsume(topics(tenantA).main, [], credsA, `${B}.sink`)).rejects.toThrow(
      `console consumer: GroupAuthorizationException: Not authorized to access group: ${B}.sink`,
    );
    await expect(consoleConsume(topics(tenantA).main, [], credsA, `${A}.reader`)).resolves.toEqual(expect.any(Array));
  });

  it('A cannot create or delete topics, not even under its own prefix (topics belong to the platform)', async () => {
    const admin = kafkaAs(credsA).admin();
    await admin.connect();
    try {
      await expect(kafkaRefusal(() => admin.createTopics({ topics: [{ topic: `${A}.extra` }] }))).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
      await expect(kafkaRefusal(() => admin.deleteTopics({ topics: [topics(tenantA).dlq] }))).resolves.toBe('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
  });

  it('a wrong password is refused at login', async () => {
    const admin = kafkaAs({ ...credsA, kafka: { ...credsA.kafka, password: 'wrong' } }).admin();
    const failure = await admin.connect().then(() => 'accepted', (err: unknown) => err);
    await expect(failure).toBeInstanceOf(KafkaJSSASLAuthenticationError);
    await expect((failure as Error).message).toBe('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512');
    await admin.disconnect();
  });
});

describe('tenant isolation on Cassandra', () => {
  const UNAUTHORIZED = cassandra.types.responseErrorCodes.unauthorized;
  const table = (t: Tenant) => `${t.datasets[0]!.keyspace}.analytics`;
  let client: cassandra.Client;

  beforeAll(async () => {
    client = cassandraAs(credsA);
    await client.connect();
  });
  afterAll(async () => {
    await client.shutdown();
  });

  it('A reads and writes its own table and ingestion log', async () => {
    await expect(cassandraRefusal(client, `INSERT INTO ${table(tenantA)} ("PROVINCECODE", "DEVICEID", "ONUID", "TIME") VALUES ('P', 'D', 1, 't')`)).resolves.toBe('accepted');
    await expect(cassandraRefusal(client, `SELECT * FROM ${table(tenantA)} LIMIT 1`)).resolves.toBe('accepted');
    await expect(cassandraRefusal(client, `SELECT * FROM ${tenantA.datasets[0]!.keyspace}.${LOG_TABLES.log} LIMIT 1`)).resolves.toBe('accepted');
  });

  it('A cannot select from or insert into B\'s table or B\'s ingestion log', async () => {
    await expect(cassandraRefusal(client, `SELECT * FROM ${table(tenantB)} LIMIT 1`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `INSERT INTO ${table(tenantB)} ("PROVINCECODE", "DEVICEID", "ONUID", "TIME") VALUES ('P', 'D', 1, 't')`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `SELECT * FROM ${tenantB.datasets[0]!.keyspace}.${LOG_TABLES.files} LIMIT 1`)).resolves.toBe(UNAUTHORIZED);
  });

  it('A cannot change schema or roles, not even its own table', async () => {
    await expect(cassandraRefusal(client, `DROP TABLE ${table(tenantA)}`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `CREATE KEYSPACE it_iso_x_${suffix} WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 1}`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `GRANT SELECT ON KEYSPACE ${tenantB.datasets[0]!.keyspace} TO ${A}`)).resolves.toBe(UNAUTHORIZED);
  });

  it('a wrong password is refused at login', async () => {
    const wrong = cassandraAs({ ...credsA, cassandra: { ...credsA.cassandra, password: 'wrong' } });
    const failure = await wrong.connect().then(() => 'accepted', (err: unknown) => err);
    await wrong.shutdown();
    await expect(failure).toBeInstanceOf(cassandra.errors.NoHostAvailableError);
    await expect(Object.values((failure as cassandra.errors.NoHostAvailableError).innerErrors as Record<string, unknown>)[0]).toBeInstanceOf(cassandra.errors.AuthenticationError);
  });
});

describe('the console role on Cassandra', () => {
  const UNAUTHORIZED = cassandra.types.responseErrorCodes.unauthorized;
  const ks = (t: Tenant) => t.datasets[0]!.keyspace;
  let consoleLogin: CassandraCredentials;
  let client: cassandra.Client;

  beforeAll(async () => {
    consoleLogin = readCredentialsFile(path.join(credentialsDir, `${CONSOLE}.json`), parseCassandraCredentials) as CassandraCredentials;
    client = cassandraAs({ ...credsA, cassandra: consoleLogin.cassandra });
    await client.connect();
  });
  afterAll(async () => {
    await client.shutdown();
  });

  it('is made with its own credentials file and SELECT on exactly the two ingestion-log tables of each tenant keyspace', async () => {
    await expect(events.filter((e) => e.kind === 'console-credentials').map((e) => e.kind === 'console-credentials' && [e.file, e.created])).toEqual([[path.join(credentialsDir, `${CONSOLE}.json`), true]]);
    await expect(fs.statSync(path.join(credentialsDir, `${CONSOLE}.json`)).mode & 0o777).toBe(0o600);
    await expect(consoleLogin.cassandra.username).toBe(CONSOLE);
    await expect(events.filter((e) => e.kind === 'console-role').map((e) => e.kind === 'console-role' && [e.role, e.action, e.granted, e.revoked])).toEqual([
      [CONSOLE, 'created', [`SELECT ${ks(tenantA)}.${LOG_TABLES.log}`, `SELECT ${ks(tenantA)}.${LOG_TABLES.files}`, `SELECT ${ks(tenantB)}.${LOG_TABLES.log}`, `SELECT ${ks(tenantB)}.${LOG_TABLES.files}`], []],
    ]);
  });

  it("reads every tenant's ingestion log, and nothing else", async () => {
    for (const t of [tenantA, tenantB]) {
      await expect(cassandraRefusal(client, `SELECT * FROM ${ks(t)}.${LOG_TABLES.log} LIMIT 1`)).resolves.toBe('accepted');
      await expect(cassandraRefusal(client, `SELECT * FROM ${ks(t)}.${LOG_TABLES.files} LIMIT 1`)).resolves.toBe('accepted');
      await expect(cassandraRefusal(client, `SELECT * FROM ${ks(t)}.analytics LIMIT 1`)).resolves.toBe(UNAUTHORIZED);
    }
  });

  it('cannot modify anything: not the log, not a data table, not schema or roles', async () => {
    await expect(cassandraRefusal(client, `INSERT INTO ${ks(tenantA)}.${LOG_TABLES.log} (client, dataset, started_at, file) VALUES ('x', 'd', '2026-01-01', 'f')`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `DELETE FROM ${ks(tenantA)}.${LOG_TABLES.files} WHERE client = 'x' AND dataset = 'd'`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `INSERT INTO ${ks(tenantB)}.analytics ("PROVINCECODE", "DEVICEID", "ONUID", "TIME") VALUES ('P', 'D', 1, 't')`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `TRUNCATE ${ks(tenantA)}.${LOG_TABLES.log}`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `DROP TABLE ${ks(tenantA)}.${LOG_TABLES.log}`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `GRANT SELECT ON KEYSPACE ${ks(tenantA)} TO ${CONSOLE}`)).resolves.toBe(UNAUTHORIZED);
  });

  it('is kept on the next run, its password set again and any wider grant on these keyspaces revoked', async () => {
    await platform.execute(`GRANT SELECT ON KEYSPACE ${ks(tenantA)} TO ${CONSOLE}`);
    await platform.execute(`GRANT MODIFY ON TABLE ${ks(tenantB)}.${LOG_TABLES.log} TO ${CONSOLE}`);
    const again: ProvisionEvent[] = [];
    await expect(provisionPlatform({ tenants: [tenantA, tenantB], settings: engineSettings(), replicationFactor: 1, credentialsDir, consoleRole: CONSOLE, kafka: false, report: (e) => again.push(e) })).resolves.toBe(0);
    const role = again.find((e) => e.kind === 'console-role');
    await expect(role?.kind === 'console-role' && [role.action, role.granted, [...role.revoked].sort()]).toEqual(['kept', [], [`MODIFY <table ${ks(tenantB)}.${LOG_TABLES.log}>`, `SELECT <keyspace ${ks(tenantA)}>`]]);
    await expect(cassandraRefusal(client, `SELECT * FROM ${ks(tenantA)}.analytics LIMIT 1`)).resolves.toBe(UNAUTHORIZED);
    await expect(cassandraRefusal(client, `SELECT * FROM ${ks(tenantA)}.${LOG_TABLES.log} LIMIT 1`)).resolves.toBe('accepted');
  });
});

describe('tenant A\'s own work with its own credentials', () => {
  it('batch and sink as A land every row, and no password appears in any output or engine log', async () => {
    const dataset = tenantA.datasets[0]!;
    const inbox = path.join(staging, A, 'in');
    fs.mkdirSync(inbox, { recursive: true });
    const rows = Array.from({ length: 120 }, (_, i) => `ISO,d${i},1,1,1,1,1,${i},t,1.5,2.5`);
    fs.writeFileSync(path.join(inbox, 'iso.csv'), `PROVINCECODE,DEVICEID,IFINDEX,FRAME,SLOT,PORT,ONUINDEX,ONUID,TIME,SPEEDIN,SPEEDOUT\n${rows.join('\n')}\n`);
    // a pod's environment: the tenant's credentials only
    const env = { CREDENTIALS_FILE: path.join(credentialsDir, `${A}.json`), KAFKA_USERNAME: '', KAFKA_PASSWORD: '', CASSANDRA_USERNAME: '', CASSANDRA_PASSWORD: '' };
    const batch = await runCli(['batch', '--client', A, '--tenants', tenantsDir, '--source', staging], env);
    await expect(batch.code).toBe(0);
    const sink = await runCli(['sink', '--client', A, '--tenants', tenantsDir, '--until-idle'], env);
    await expect(sink.code).toBe(0);
    const count = await platform.execute(`SELECT count(*) FROM ${dataset.keyspace}.analytics WHERE "PROVINCECODE" = 'ISO' ALLOW FILTERING`);
    await expect(count.first().get('count').toNumber()).toBe(120);

    const passwords = [credsA.kafka.password, credsA.cassandra.password];
    const engineLogs = fs.readdirSync(engineLayout().logDir).map((f) => fs.readFileSync(path.join(engineLayout().logDir, f), 'utf8'));
    for (const text of [batch.stdout, batch.stderr, sink.stdout, sink.stderr, ...engineLogs]) {
      for (const password of passwords) await expect(text.includes(password)).toBe(false);
    }
  });

  it('a runtime command with a wrong password fails at once, without printing it', async () => {
    const env = { CREDENTIALS_FILE: '', KAFKA_USERNAME: credsA.kafka.username, KAFKA_PASSWORD: 'not-the-password', CASSANDRA_USERNAME: credsA.cassandra.username, CASSANDRA_PASSWORD: 'not-the-password' };
    const started = Date.now();
    const batch = await runCli(['batch', '--client', A, '--tenants', tenantsDir, '--source', staging], env);
    await expect(batch.code).toBe(1);
    await expect(Date.now() - started).toBeLessThan(15_000);
    await expect(batch.logs.at(-1)).toMatchObject({
      msg: 'command failed',
      error_name: 'EngineError',
      retriable: false,
      error: 'cannot connect to Kafka: SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    });
    await expect(batch.stderr.includes('not-the-password')).toBe(false);
  });
});
