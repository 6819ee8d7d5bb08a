import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('mysimbdp provision', () => {
  const suffix = uniqueSuffix();
  const ksA = `it_cmd_a_${suffix}`;
  const ksB = `it_cmd_b_${suffix}`;
  const dir = tempDir('provision-cmd');
  let client: cassandra.Client;

  beforeAll(async () => {
    writeTenantDir(dir, 'client_a', seedDataset('client_a', ksA));
    writeTenantDir(dir, 'client_b', seedDataset('client_b', ksB));
    client = createCassandraClient();
    await client.connect();
  });
  afterAll(async () => {
    for (const ks of [ksA, ksB]) await client.execute(`DROP KEYSPACE IF EXISTS ${ks}`);
    await client.shutdown();
  });

  it('creates every tenant table, then reports them unchanged', async () => {
    const first = await cli('provision', '--tenants', dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`client_a/speed-tracking-data: ${ksA}.analytics created\nclient_b/amazon-product-review-data: ${ksB}.product_reviews created\n`);
    const second = await cli('provision', '--tenants', dir, '--client', 'client_b', '--replication-factor', '1');
    expect(second).toMatchObject({ code: 0, stdout: `client_b/amazon-product-review-data: ${ksB}.product_reviews unchanged\n` });
    const live = await client.execute('SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?', [ksB, 'product_reviews'], { prepare: true });
    expect(live.rows.find((r) => r.get('column_name') === 'review_date')?.get('type')).toBe('date');
  });

  it('exits 1 naming tenant, table, column and types when a change is refused', async () => {
    const json = seedDataset('client_b', ksB);
    const schema = json.schema as { fields: { name: string; type: unknown }[] };
    const changed = tempDir('provision-cmd-changed');
    writeTenantDir(changed, 'client_b', { ...json, schema: { ...schema, fields: schema.fields.map((f) => (f.name === 'star_rating' ? { ...f, type: 'long' } : f)) } });
    const result = await cli('provision', '--tenants', changed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tenant client_b: table ${ksB}.product_reviews: column "star_rating" type change from int to bigint is refused\n`);
  });

  it('rejects bad usage with exit 2', async () => {
    await expect(cli('provision', '--tenants', dir, '--replication-factor', 'three')).resolves.toMatchObject({ code: 2, stderr: 'mysimbdp provision: replication factor must be an integer >= 1, got "three"\n' });
    await expect(cli('provision', '--bogus')).resolves.toMatchObject({ code: 2 });
  });
});
