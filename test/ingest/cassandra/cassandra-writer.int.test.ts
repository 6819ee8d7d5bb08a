import { execFileSync } from 'node:child_process';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { CassandraWriter } from '../../../ingest/src/cassandra/cassandra-writer';
import { engineLayout } from '../../../ingest/src/engines/engine-layout';
import { readPlatformCredentials } from '../../../ingest/src/engines/platform-credentials';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { EngineError } from '../../../infra/errors';
import { allTypesDatasetJson, allTypesRecord } from '../helpers/all-types-dataset';
import { seedDataset, tenantFrom, uniqueSuffix } from '../helpers/tenant-dirs';

const OPTIONS = { replicationFactor: 1, dataCenter: 'datacenter1' };

function hasCqlsh(): boolean {
  try {
    execFileSync('cqlsh', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('CassandraWriter', () => {
  const keyspace = `it_writer_${uniqueSuffix()}`;
  const allTypes = tenantFrom('client_t', allTypesDatasetJson(keyspace));
  const reviews = tenantFrom('client_b', seedDataset('client_b', keyspace));
  let client: cassandra.Client;

  beforeAll(async () => {
    client = createCassandraClient();
    await client.connect();
    await provisionDataset(client, allTypes, allTypes.datasets[0]!, OPTIONS);
    await provisionDataset(client, reviews, reviews.datasets[0]!, OPTIONS);
  });
  afterAll(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
    await client.shutdown();
  });

  it('uses one INSERT with every column quoted', () => {
    const writer = new CassandraWriter(client, allTypes.datasets[0]!);
    expect(writer.insertCql).toBe(
      `INSERT INTO "${keyspace}"."everything" ("id", "seq", "label", "big", "ratio", "amount", "ok", "payload", "day", "dayText", "atMs", "atUs", "price", "color", "tags", "counts", "note", "maybeLong") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  });

  it('round-trips every CQL type (checked with SELECT and, when installed, with cqlsh)', async () => {
    const writer = new CassandraWriter(client, allTypes.datasets[0]!);
    await writer.checkTable();
    const rows = [allTypesRecord(), allTypesRecord({ seq: 8, note: 'set', maybeLong: null }), allTypesRecord({ id: '00000000-0000-4000-8000-000000000001' })];
    const result = await writer.write(rows);
    expect(result).toEqual({ rows: 3, partitions: 2, statements: 2, failures: [] });

    const read = await client.execute(`SELECT * FROM "${keyspace}"."everything" WHERE id = 3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b`);
    expect(read.rowLength).toBe(2);
    const r = read.rows[0]!;
    expect(r.get('id').toString()).toBe('3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b');
    expect(r.get('seq')).toBe(7);
    expect(r.get('label')).toBe('Grüße, "quoted"');
    expect(r.get('big').toString()).toBe('9007199254740991');
    expect(r.get('ratio')).toBe(1.5);
    expect(r.get('amount')).toBe(-12345.678);
    expect(r.get('ok')).toBe(true);
    expect(r.get('payload')).toEqual(Buffer.from([0, 1, 254, 255]));
    expect(r.get('day').toString()).toBe('2022-01-08');
    expect(r.get('dayText').toString()).toBe('2015-08-31');
    expect((r.get('atMs') as Date).toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect((r.get('atUs') as Date).toISOString()).toBe('2023-11-14T22:13:20.123Z');
    expect(r.get('price').toString()).toBe('-1.23');
    expect(r.get('color')).toBe('GREEN');
    expect(r.get('tags')).toEqual(['a', 'b']);
    expect(Object.fromEntries(Object.entries(r.get('counts') as Record<string, { toString(): string }>).map(([k, v]) => [k, v.toString()]))).toEqual({ x: '1', y: '5000000000' });
    expect(r.get('note')).toBeNull();
    expect(r.get('maybeLong').toString()).toBe('42');
    const r8 = read.rows[1]!;
    expect([r8.get('seq'), r8.get('note'), r8.get('maybeLong')]).toEqual([8, 'set', null]);

    if (!hasCqlsh()) return;
    const { username, password } = readPlatformCredentials(engineLayout())!.cassandra;
    const out = execFileSync('cqlsh', ['127.0.0.1', '9042', '-u', username, '-p', password, '-e', `SELECT JSON * FROM "${keyspace}"."everything" WHERE id = 3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b AND seq = 7`], { encoding: 'utf8', timeout: 60_000 });
    // cqlsh prints the JSON text with its backslashes doubled; Cassandra quotes case-sensitive names as keys.
    const text = out.split('\n').find((line) => line.trim().startsWith('{'))!.trim().replace(/\\\\/g, '\\');
    const json = Object.fromEntries(Object.entries(JSON.parse(text) as Record<string, unknown>).map(([k, v]) => [k.replace(/^"(.*)"$/, '$1'), v]));
    expect(json).toMatchObject({
      id: '3f1c2a4e-8b7d-4c6e-9a0b-1c2d3e4f5a6b', seq: 7, label: 'Grüße, "quoted"', big: 9007199254740991, ratio: 1.5, amount: -12345.678,
      ok: true, payload: '0x0001feff', day: '2022-01-08', dayText: '2015-08-31', atMs: '2023-11-14 22:13:20.123Z', price: -1.23,
      color: 'GREEN', tags: ['a', 'b'], counts: { x: 1, y: 5000000000 }, note: null, maybeLong: 42,
    });
  });

  it('overwrites a later version of a row, clearing a column set to null', async () => {
    const writer = new CassandraWriter(client, allTypes.datasets[0]!);
    const id = '00000000-0000-4000-8000-0000000000aa';
    await writer.write([allTypesRecord({ id, note: 'first', maybeLong: 1 })]);
    await writer.write([allTypesRecord({ id, note: null, maybeLong: 2 })]);
    const read = await client.execute(`SELECT note, "maybeLong" FROM "${keyspace}"."everything" WHERE id = ${id}`);
    expect(read.rows.map((r) => [r.get('note'), r.get('maybeLong').toString()])).toEqual([[null, '2']]);
  });

  it('keeps the newer version when an older one reaches Cassandra later (a replica that lost its partition mid-retry)', async () => {
    const writer = new CassandraWriter(client, allTypes.datasets[0]!);
    const id = '00000000-0000-4000-8000-0000000000bb';
    // the new owner of the partition writes the newer version first …
    await writer.write([allTypesRecord({ id, note: 'newer', maybeLong: 2 })], [1_764_720_000_000_002]);
    // … then the old owner's retried write of the older version arrives, alone and in a batch
    await writer.write([allTypesRecord({ id, note: 'older', maybeLong: 1 })], [1_764_720_000_000_001]);
    await writer.write([allTypesRecord({ id, note: 'older', maybeLong: 1 }), allTypesRecord({ id, seq: 99, note: 'other' })], [1_764_720_000_000_001, 1_764_720_000_000_001]);
    const read = await client.execute(`SELECT note, "maybeLong", WRITETIME(note) AS at FROM "${keyspace}"."everything" WHERE id = ${id}`);
    // the batch (one partition) wrote its other row, and not the older version
    expect(read.rows.map((r) => [r.get('note'), r.get('maybeLong')?.toString() ?? null, r.get('at').toString()])).toEqual([['newer', '2', '1764720000000002'], ['other', '42', '1764720000000001']]);
  });

  it('reports rows Cassandra or the converter reject, by index, and writes the rest of their batch', async () => {
    const dataset = reviews.datasets[0]!;
    const writer = new CassandraWriter(client, dataset, { maxBatchRows: 50 });
    const review = (i: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      marketplace: 'US', customer_id: `c${i}`, review_id: `r${i}`, product_id: 'P-iso', product_parent: '1', product_title: 't',
      product_category: 'Books', star_rating: 5, helpful_votes: 0, total_votes: 0, vine: 'N', verified_purchase: 'Y',
      review_headline: 'h', review_body: 'b', review_date: '2015-08-31', ...extra,
    });
    const rows = Array.from({ length: 10 }, (_, i) => review(i));
    rows[3] = review(3, { review_id: 'x'.repeat(70_000) }); // clustering value over 64 KiB: the server refuses it
    rows[6] = review(6, { review_date: '2015-13-01' });
    const result = await writer.write(rows);
    expect(result.rows).toBe(8);
    expect(result.partitions).toBe(1);
    expect(result.failures.map((f) => f.index)).toEqual([3, 6]);
    expect(result.failures[0]!.error.message).toMatch(new RegExp(`^rejected by Cassandra \\(${keyspace}\\.product_reviews\\): .*65535`));
    expect(result.failures[1]!.error.message).toBe('field "review_date": "2015-13-01" is not a date (YYYY-MM-DD) (column type date)');
    const count = await client.execute(`SELECT count(*) FROM "${keyspace}"."product_reviews" WHERE product_id = 'P-iso'`);
    expect(count.rows[0]!.get('count').toNumber()).toBe(8);
  });

  it('splits a partition into batches of at most maxBatchRows', async () => {
    const writer = new CassandraWriter(client, allTypes.datasets[0]!, { maxBatchRows: 4, concurrency: 2 });
    const id = '00000000-0000-4000-8000-0000000000bb';
    const result = await writer.write(Array.from({ length: 10 }, (_, seq) => allTypesRecord({ id, seq })));
    expect(result).toEqual({ rows: 10, partitions: 1, statements: 3, failures: [] });
  });

  it('refuses to start on a table that was never provisioned', async () => {
    const missing = tenantFrom('client_t', allTypesDatasetJson(`${keyspace}_none`)).datasets[0]!;
    const check = new CassandraWriter(client, missing).checkTable();
    await expect(check).rejects.toBeInstanceOf(EngineError);
    await expect(check).rejects.toThrow(`table ${keyspace}_none.everything does not exist: run mysimbdp provision first`);
  });
});
