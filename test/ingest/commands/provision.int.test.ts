import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes } from 'kafkajs';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { createKafka } from '../../../ingest/src/kafka/kafka-client';
import { agreementJson, seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');
// a console role of this run only, so the shared mysimbdp_console keeps its password
const CONSOLE = `it_pconsole_${uniqueSuffix()}`;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CASSANDRA_CONSOLE_ROLE: CONSOLE } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mysimbdp provision', () => {
  const suffix = uniqueSuffix();
  // client ids of this run only: provisioning reconciles a tenant's role and Kafka user
  const A = `it_pa_${suffix}`;
  const B = `it_pb_${suffix}`;
  const ksA = `it_cmd_a_${suffix}`;
  const ksB = `it_cmd_b_${suffix}`;
  const dir = tempDir('provision-cmd');
  const creds = tempDir('provision-creds');
  let client: cassandra.Client;

  beforeAll(async () => {
    writeTenantDir(dir, A, seedDataset('client_a', ksA));
    writeTenantDir(dir, B, seedDataset('client_b', ksB));
    client = createCassandraClient();
    await client.connect();
  });
  afterAll(async () => {
    for (const ks of [ksA, ksB]) await client.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
    for (const role of [A, B, CONSOLE]) await client.execute(`DROP ROLE IF EXISTS ${role}`);
    await client.shutdown();
  });

  it('creates every tenant table, role and credentials file, then reports them unchanged', async () => {
    const first = await cli('provision', '--tenants', dir, '--no-kafka', '--credentials-dir', creds);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      [
        `${A}: credentials created in ${path.join(creds, `${A}.json`)}`,
        `${B}: credentials created in ${path.join(creds, `${B}.json`)}`,
        `console: credentials created in ${path.join(creds, `${CONSOLE}.json`)}`,
        `${A}/speed-tracking-data: ${ksA}.analytics created`,
        `${B}/amazon-product-review-data: ${ksB}.product_reviews created`,
        `${A}: Cassandra role ${A} created (granted SELECT ${ksA}; granted MODIFY ${ksA})`,
        `${B}: Cassandra role ${B} created (granted SELECT ${ksB}; granted MODIFY ${ksB})`,
        `console: Cassandra role ${CONSOLE} created (${[ksA, ksB].flatMap((ks) => [`granted SELECT ${ks}.mysimbdp_ingestion_log`, `granted SELECT ${ks}.mysimbdp_ingested_files`]).join('; ')})`,
        '',
      ].join('\n'),
    );
    const file = path.join(creds, `${B}.json`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { kafka: Record<string, string>; cassandra: Record<string, string> };
    expect(written.kafka).toMatchObject({ bootstrap: '127.0.0.1:9092', mechanism: 'scram-sha-512', username: B.replace(/_/g, '-') });
    expect(written.cassandra).toMatchObject({ contact_points: '127.0.0.1:9042', local_dc: 'datacenter1', username: B });
    const second = await cli('provision', '--tenants', dir, '--client', B, '--replication-factor', '1', '--no-kafka', '--credentials-dir', creds);
    expect(second).toMatchObject({
      code: 0,
      stdout: [
        `${B}: credentials read from ${file}`,
        `console: credentials read from ${path.join(creds, `${CONSOLE}.json`)}`,
        `${B}/amazon-product-review-data: ${ksB}.product_reviews unchanged`,
        `${B}: Cassandra role ${B} kept, password set again`,
        `console: Cassandra role ${CONSOLE} kept, password set again`,
        '',
      ].join('\n'),
    });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(written);
    const live = await client.execute('SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [ksB, 'product_reviews'], { prepare: true });
    expect(live.rows.find((r) => r.get('column_name') === 'review_date')?.get('type')).toBe('date');
    const grants = await client.execute(`LIST ALL PERMISSIONS OF ${B} NORECURSIVE`);
    expect(grants.rows.map((r) => `${String(r.get('permission'))} ${String(r.get('resource'))}`).sort()).toEqual([`MODIFY <keyspace ${ksB}>`, `SELECT <keyspace ${ksB}>`]);
  });

  it('revokes what a tenant role holds beyond its own keyspaces', async () => {
    await client.execute(`GRANT SELECT ON KEYSPACE ${ksA} TO ${B}`);
    const result = await cli('provision', '--tenants', dir, '--client', B, '--no-kafka', '--credentials-dir', creds);
    expect(result.stdout).toContain(`${B}: Cassandra role ${B} kept, password set again (revoked SELECT <keyspace ${ksA}>)\n`);
  });

  it('refuses a credentials file made for another principal', async () => {
    const odd = tempDir('provision-odd-creds');
    const written = JSON.parse(fs.readFileSync(path.join(creds, `${A}.json`), 'utf8')) as { cassandra: Record<string, string> };
    fs.writeFileSync(path.join(odd, `${A}.json`), JSON.stringify({ ...written, cassandra: { ...written.cassandra, username: 'someone' } }));
    const result = await cli('provision', '--tenants', dir, '--client', A, '--no-kafka', '--credentials-dir', odd);
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(line).toMatchObject({ msg: 'command failed', error_name: 'InputError', error: `${path.join(odd, `${A}.json`)}: $.cassandra.username must be "${A}" (tenant ${A}), got "someone"` });
  });

  it('exits 1 naming tenant, table, column and types when a change is refused', async () => {
    const json = seedDataset('client_b', ksB);
    const schema = json.schema as { fields: { name: string; type: unknown }[] };
    const changed = tempDir('provision-cmd-changed');
    writeTenantDir(changed, B, { ...json, schema: { ...schema, fields: schema.fields.map((f) => (f.name === 'star_rating' ? { ...f, type: 'long' } : f)) } });
    const result = await cli('provision', '--tenants', changed, '--no-kafka', '--credentials-dir', creds);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tenant ${B}: table ${ksB}.product_reviews: column "star_rating" type change from int to bigint is refused\n`);
  });

  it('rejects bad usage with exit 2', async () => {
    await expect(cli('provision', '--tenants', dir, '--replication-factor', 'three')).resolves.toMatchObject({ code: 2, stderr: 'mysimbdp provision: replication factor must be an integer >= 1, got "three"\nrun "mysimbdp provision --help"\n' });
    await expect(cli('provision', '--bogus')).resolves.toMatchObject({ code: 2 });
  });

  it('declares each dataset\'s topics as its KafkaTopics do: created, then unchanged, then aligned with the agreement', async () => {
    const id = `it_topics_${suffix}`;
    const topicsDir = tempDir('provision-topics');
    const ks = `it_cmd_t_${suffix}`;
    writeTenantDir(topicsDir, id, seedDataset('client_a', ks), { ...agreementJson(id), data_retention_period_days: 2, kafka: { partitions: 2 } });
    try {
      const topics = ['', '.raw', '.dlq'].map((s) => `${id}.speed-tracking-data${s}`);
      const first = await cli('provision', '--tenants', topicsDir, '--credentials-dir', creds);
      expect(first.code).toBe(0);
      for (const t of topics) expect(first.stdout).toContain(`${id}/speed-tracking-data: topic ${t} created\n`);
      expect(first.stdout).toContain(`${id}: Kafka user ${id.replace(/_/g, '-')} with 8 ACLs (8 created, 0 deleted)\n`);
      const admin = createKafka('it-provision-topics').admin();
      await admin.connect();
      try {
        const metadata = await admin.fetchTopicMetadata({ topics });
        expect(metadata.topics.map((t) => t.partitions.length)).toEqual([2, 2, 2]);
        const retention = async () => (await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) })).resources.map((r) => r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue);
        expect(await retention()).toEqual([String(2 * 86_400_000), String(2 * 86_400_000), String(2 * 86_400_000)]);
        const again = await cli('provision', '--tenants', topicsDir, '--credentials-dir', creds);
        expect(again.stdout).toContain(`${id}/speed-tracking-data: topic ${topics[0]} unchanged\n`);
        expect(again.stdout).toContain(`${id}: Kafka user ${id.replace(/_/g, '-')} with 8 ACLs\n`);
        writeTenantDir(topicsDir, id, seedDataset('client_a', ks), { ...agreementJson(id), data_retention_period_days: 3, kafka: { partitions: 3 } });
        const aligned = await cli('provision', '--tenants', topicsDir, '--credentials-dir', creds);
        expect(aligned.stdout).toContain(`${id}/speed-tracking-data: topic ${topics[2]} altered (partitions 2 → 3; retention.ms 172800000 → 259200000)\n`);
        expect((await admin.fetchTopicMetadata({ topics })).topics.map((t) => t.partitions.length)).toEqual([3, 3, 3]);
        expect(await retention()).toEqual([String(3 * 86_400_000), String(3 * 86_400_000), String(3 * 86_400_000)]);
      } finally {
        await admin.deleteTopics({ topics }).catch(() => undefined);
        await admin.disconnect();
      }
    } finally {
      await client.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
      await client.execute(`DROP ROLE IF EXISTS ${id}`);
    }
  });

  it('batch fails at once, naming the missing topic and the command that creates it', async () => {
    const id = `it_notopic_${suffix}`;
    const noTopics = tempDir('provision-no-topics');
    writeTenantDir(noTopics, id, seedDataset('client_a', `it_cmd_n_${suffix}`));
    const started = Date.now();
    const result = await cli('batch', '--client', id, '--tenants', noTopics, '--source', tempDir('provision-no-topics-staging'));
    expect(result.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(20_000);
    const line = JSON.parse(result.stderr.trim().split('\n').at(-1) as string) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', msg: 'command failed', error: `topic ${id}.speed-tracking-data, ${id}.speed-tracking-data.dlq does not exist: on the local engines run \`mysimbdp provision --client ${id}\`; on a cluster its KafkaTopic (deployed with the tenant) creates it` });
  });
});
