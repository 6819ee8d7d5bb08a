import { randomBytes } from 'node:crypto';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { IngestionLog, LOG_TABLES, type FileLogEntry } from '../../../ingest/src/cassandra/ingestion-log';
import { provisionIngestionLog } from '../../../ingest/src/cassandra/provisioner';
import { createKeyspaceCql } from '../../../infra/cql/ddl';
import { InputError } from '../../../infra/errors';
import type { Dataset } from '../../../infra/tenant/types';

// The log lives in each dataset's keyspace: this tenant's two datasets are in two keyspaces of their own.
const suffix = randomBytes(4).toString('hex');
const tenant = `it_log_${suffix}`;
const keyspaces = { speed: `it_log_s_${suffix}`, reviews: `it_log_r_${suffix}` };
const datasets = Object.entries(keyspaces).map(([name, keyspace]) => ({ name, keyspace }) as Dataset);

function entry(overrides: Partial<FileLogEntry> = {}): FileLogEntry {
  const startedAt = new Date('2026-01-02T03:04:05.006Z');
  return {
    client: tenant,
    dataset: 'speed',
    file: 'a.csv',
    fileSha256: 'aa'.repeat(32),
    startedAt,
    finishedAt: new Date(startedAt.getTime() + 1500),
    durationMs: 1500,
    bytes: 12_345_678_901,
    rowsOk: 998,
    rowsRejected: 2,
    rowsDeduplicated: 1,
    outcome: 'archived',
    quality: { 'SPEEDIN.range': 2 },
    ...overrides,
  };
}

describe('IngestionLog', () => {
  let client: cassandra.Client;
  let log: IngestionLog;

  beforeAll(async () => {
    client = createCassandraClient();
    for (const keyspace of Object.values(keyspaces)) {
      await client.execute(createKeyspaceCql(keyspace, 1));
      await provisionIngestionLog(client, keyspace);
    }
    log = new IngestionLog(client, [{ client: tenant, datasets }]);
  });
  afterAll(async () => {
    await client.shutdown();
  });

  it('makes its tables once per keyspace (a second provisioning issues no DDL)', async () => {
    await provisionIngestionLog(client, keyspaces.speed);
    const tables = await client.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspaces.speed], { prepare: true });
    await expect(tables.rows.map((r) => String(r.get('table_name'))).sort()).toEqual(Object.values(LOG_TABLES).sort());
  });

  it('records files and lists them back per tenant, dataset and since', async () => {
    const first = entry();
    const failed = entry({
      file: 'b.csv',
      fileSha256: 'bb'.repeat(32),
      startedAt: new Date('2026-01-03T00:00:00.000Z'),
      finishedAt: new Date('2026-01-03T00:00:01.000Z'),
      durationMs: 1000,
      bytes: 10,
      rowsOk: 0,
      rowsRejected: 0,
      rowsDeduplicated: 0,
      outcome: 'failed',
      reason: 'Kafka unavailable',
      quality: {},
    });
    const other = entry({ dataset: 'reviews', file: 'c.csv', fileSha256: 'cc'.repeat(32) });
    await log.recordFile(first);
    await log.recordFile(failed);
    await log.recordFile(other);

    const all: FileLogEntry[] = [];
    for await (const e of log.list({ client: tenant })) all.push(e);
    // dataset by dataset in the tenant's order, newest first in each
    expect(all.map((e) => e.file)).toEqual(['b.csv', 'a.csv', 'c.csv']);
    expect(all[1]).toEqual(first);
    expect(all[0]).toEqual(failed);

    const speedSince: string[] = [];
    for await (const e of log.list({ client: tenant, dataset: 'speed', since: new Date('2026-01-02T12:00:00Z') })) speedSince.push(e.file);
    expect(speedSince).toEqual(['b.csv']);

    const everywhere: string[] = [];
    for await (const e of log.list({ dataset: 'reviews' })) everywhere.push(`${e.client}/${e.file}`);
    expect(everywhere).toEqual([`${tenant}/c.csv`]);
    // each dataset's rows are in its own keyspace
    const inReviews = await client.execute(`SELECT file FROM ${keyspaces.reviews}.${LOG_TABLES.log} WHERE client = ?`, [tenant], { prepare: true });
    await expect(inReviews.rows.map((r) => String(r.get('file')))).toEqual(['c.csv']);
  });

  it('knows which content was archived, per tenant dataset', async () => {
    await log.recordFile(entry({ file: 'd.csv', fileSha256: 'dd'.repeat(32) }));
    await log.recordFile(entry({ file: 'e.csv', fileSha256: 'ee'.repeat(32), outcome: 'failed', reason: 'x' }));
    await expect(log.wasIngested(tenant, 'speed', 'dd'.repeat(32))).resolves.toBe(true);
    await expect(log.wasIngested(tenant, 'reviews', 'dd'.repeat(32))).resolves.toBe(false);
    await expect(log.wasIngested(tenant, 'speed', 'ee'.repeat(32))).resolves.toBe(false);
  });

  it('refuses a tenant or dataset it was not given, naming both', async () => {
    await expect(log.wasIngested(`${tenant}_x`, 'speed', 'dd'.repeat(32))).rejects.toThrow(`ingestion log: tenant ${tenant}_x has no dataset "speed"`);
    await expect(log.recordFile(entry({ dataset: 'other' }))).rejects.toThrow(`ingestion log: tenant ${tenant} has no dataset "other"`);
  });

  it('rejects an unknown outcome and a bad count with exact messages', async () => {
    const bad = log.recordFile(entry({ outcome: 'lost' as FileLogEntry['outcome'] }));
    await expect(bad).rejects.toBeInstanceOf(InputError);
    await expect(bad).rejects.toThrow('ingestion log entry for a.csv: outcome must be one of archived, failed, refused, skipped, got "lost"');
    await expect(log.recordFile(entry({ rowsOk: -1 }))).rejects.toThrow('ingestion log entry for a.csv: rowsOk must be a non-negative integer, got -1');
    await expect(log.recordFile(entry({ bytes: 1.5 }))).rejects.toThrow('ingestion log entry for a.csv: bytes must be a non-negative integer, got 1.5');
  });
});
