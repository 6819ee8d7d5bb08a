import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type * as cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCassandraClient } from '../../../ingest/src/cassandra/cassandra-client';
import { IngestionLog, type FileLogEntry } from '../../../ingest/src/cassandra/ingestion-log';
import { provisionDataset } from '../../../ingest/src/cassandra/provisioner';
import { findTenant, loadTenantsOrThrow } from '../../../infra/tenant/load-tenants';
import { seedDataset, tempDir, uniqueSuffix, writeTenantDir } from '../helpers/tenant-dirs';

const CLI = path.join(__dirname, '../../../ingest/bin/mysimbdp.cjs');
const cli = async (...args: string[]): Promise<{ stdout: string; code: number }> => {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    return { stdout, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; code: number };
    return { stdout: e.stdout, code: e.code };
  }
};

describe('mysimbdp stats (seeded ingestion log)', () => {
  const suffix = uniqueSuffix();
  const tenant = `it_stats_${suffix}`;
  // a second tenant in the same tenants folder: the platform view reads both tenants' keyspaces
  const other = `it_stats_other_${suffix}`;
  const tenants = tempDir('stats-tenants');
  let client: cassandra.Client;

  beforeAll(async () => {
    writeTenantDir(tenants, tenant, seedDataset('client_a', `it_stats_${suffix}`));
    writeTenantDir(tenants, other, seedDataset('client_b', `it_stats_o_${suffix}`));
    client = createCassandraClient();
    const loaded = loadTenantsOrThrow(tenants);
    const [mine, theirs] = [findTenant(loaded, tenant), findTenant(loaded, other)];
    for (const t of loaded) await provisionDataset(client, t, t.datasets[0]!, { replicationFactor: 1, dataCenter: 'datacenter1' });
    const log = new IngestionLog(client, loaded);
    const dataset = mine.datasets[0]!.name;
    const base = (i: number, overrides: Partial<FileLogEntry>): FileLogEntry => ({
      client: tenant, dataset, file: `f${i}.csv`, fileSha256: `${i}`.padStart(64, '0'),
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)), finishedAt: new Date(Date.UTC(2026, 0, 1, 0, i, 1)),
      durationMs: 100 * i, bytes: 1000, rowsOk: 100, rowsRejected: 1, rowsDeduplicated: 0, outcome: 'archived', quality: { schema: 1 }, ...overrides,
    });
    for (let i = 1; i <= 20; i++) await log.recordFile(base(i, {}));
    await log.recordFile(base(21, { outcome: 'failed', reason: 'Kafka unavailable', rowsOk: 0, rowsRejected: 0, quality: {} }));
    await log.recordFile(base(22, { outcome: 'refused', reason: 'too big', durationMs: 0, rowsOk: 0, rowsRejected: 0, quality: {} }));
    await log.recordFile({ ...base(1, {}), client: other, dataset: theirs.datasets[0]!.name, rowsOk: 7 });
  });
  afterAll(async () => {
    await client.shutdown();
  });

  it('prints the tenant figures as JSON', async () => {
    const { stdout, code } = await cli('stats', '--tenants', tenants, '--client', tenant, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      scope: 'tenant', client: tenant, files: 22, files_failed: 2, rows_ok: 2000, rows_rejected: 20, bytes: 22_000,
      p50_file_ms: 1100, p95_file_ms: 2000, quality: { schema: 20 },
      files_by_outcome: { archived: 20, failed: 1, refused: 1, skipped: 0 },
    });
    // 2000 rows over 100+200+…+2000 ms and the failed file's 2100 ms = 23.1 s
    expect(report.rows_per_second).toBe(86.6);
  });

  it('prints an aligned table, and the platform view includes the tenant', async () => {
    const text = await cli('stats', '--tenants', tenants, '--client', tenant);
    expect(text.stdout).toBe(
      'client' + ' '.repeat(tenant.length - 6) + '  files  failed  rows_ok  rejected  dedup  bytes  rows/s  p50_ms  p95_ms\n' +
      `${tenant}     22       2     2000        20      0  22000    86.6    1100    2000\n`,
    );
    const platform = JSON.parse((await cli('stats', '--tenants', tenants, '--format', 'json')).stdout) as { scope: string; client: string; files: number; rows_ok: number; tenants: { client: string }[] };
    expect(platform).toMatchObject({ scope: 'platform', client: '*', files: 23, rows_ok: 2007 });
    expect(platform.tenants.map((t) => t.client).sort()).toEqual([tenant, other].sort());
  });

  it('rejects an unknown format with exit code 2', async () => {
    await expect(cli('stats', '--tenants', tenants, '--format', 'xml')).resolves.toMatchObject({ code: 2 });
  });
});
