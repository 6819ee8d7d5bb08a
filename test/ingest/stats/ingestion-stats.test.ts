import { describe, expect, it } from 'vitest';
import type { FileLogEntry } from '../../../ingest/src/cassandra/ingestion-log';
import { aggregateStats, formatStatsTable, percentile } from '../../../ingest/src/stats/ingestion-stats';

function entry(client: string, overrides: Partial<FileLogEntry> = {}): FileLogEntry {
  return {
    client,
    dataset: 'd',
    file: 'f.csv',
    fileSha256: 'ab',
    startedAt: new Date('2026-01-01T00:00:00Z'),
    finishedAt: new Date('2026-01-01T00:00:01Z'),
    durationMs: 1000,
    bytes: 100,
    rowsOk: 10,
    rowsRejected: 1,
    rowsDeduplicated: 0,
    outcome: 'archived',
    quality: {},
    ...overrides,
  };
}

const LOG: FileLogEntry[] = [
  entry('client_b', { durationMs: 2000, rowsOk: 1000, bytes: 5000, quality: { 'star_rating.range': 3 }, rowsRejected: 3 }),
  entry('client_a', { durationMs: 100, rowsOk: 100 }),
  entry('client_a', { durationMs: 300, rowsOk: 500, rowsDeduplicated: 2, quality: { schema: 1, 'SPEEDIN.range': 2 }, finishedAt: new Date('2026-01-02T00:00:00Z') }),
  entry('client_a', { durationMs: 200, rowsOk: 0, rowsRejected: 0, outcome: 'failed', reason: 'Kafka down' }),
  entry('client_a', { durationMs: 0, rowsOk: 0, rowsRejected: 0, outcome: 'refused', bytes: 60_000_000, startedAt: new Date('2025-12-31T00:00:00Z') }),
  entry('client_a', { durationMs: 1, rowsOk: 0, rowsRejected: 0, outcome: 'skipped' }),
];

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
  });
});

describe('aggregateStats', () => {
  it('sums per tenant and for the platform; durations only from archived and failed files', async () => {
    const report = await aggregateStats(LOG);
    expect(report.scope).toBe('platform');
    expect(report.client).toBe('*');
    expect(report.tenants.map((t) => t.client)).toEqual(['client_a', 'client_b']);
    const a = report.tenants[0]!;
    expect(a).toEqual({
      client: 'client_a',
      files: 5,
      files_failed: 2,
      files_by_outcome: { archived: 2, failed: 1, refused: 1, skipped: 1 },
      rows_ok: 600,
      rows_rejected: 2,
      rows_deduplicated: 2,
      bytes: 60_000_400,
      rows_per_second: 1000, // 600 rows in 100 + 300 + 200 ms
      p50_file_ms: 200,
      p95_file_ms: 300,
      quality: { 'SPEEDIN.range': 2, schema: 1 },
      first_started_at: '2025-12-31T00:00:00.000Z',
      last_finished_at: '2026-01-02T00:00:00.000Z',
    });
    expect(report.files).toBe(6);
    expect(report.rows_ok).toBe(1600);
    expect(report.rows_per_second).toBe(615.4); // 1600 rows / 2.6 s, one decimal
    expect(report.p95_file_ms).toBe(2000);
    expect(report.quality).toEqual({ 'SPEEDIN.range': 2, schema: 1, 'star_rating.range': 3 });
  });

  it('filters to one tenant, and gives zeros (not NaN) for a tenant without files', async () => {
    const b = await aggregateStats(LOG, 'client_b');
    expect(b.scope).toBe('tenant');
    expect([b.client, b.files, b.rows_ok, b.tenants.length]).toEqual(['client_b', 1, 1000, 1]);
    const none = await aggregateStats(LOG, 'client_z');
    expect(none).toMatchObject({ client: 'client_z', files: 0, files_failed: 0, rows_ok: 0, rows_rejected: 0, bytes: 0, rows_per_second: 0, p50_file_ms: null, p95_file_ms: null, tenants: [] });
  });

  it('reads async iterables (the ingestion log streams its pages)', async () => {
    async function* pages(): AsyncIterable<FileLogEntry> {
      yield* LOG;
    }
    expect((await aggregateStats(pages())).files).toBe(6);
  });
});

describe('formatStatsTable', () => {
  it('prints an aligned table with a TOTAL line', async () => {
    expect(formatStatsTable(await aggregateStats(LOG))).toBe(
      [
        'client    files  failed  rows_ok  rejected  dedup     bytes  rows/s  p50_ms  p95_ms',
        'client_a      5       2      600         2      2  60000400  1000.0     200     300',
        'client_b      1       0     1000         3      0      5000   500.0    2000    2000',
        'TOTAL         6       2     1600         5      2  60005400   615.4     200    2000',
        '',
      ].join('\n'),
    );
  });

  it('prints a line of zeros for a tenant without files', async () => {
    expect(formatStatsTable(await aggregateStats([], 'client_z'))).toBe(
      ['client    files  failed  rows_ok  rejected  dedup  bytes  rows/s  p50_ms  p95_ms', 'client_z      0       0        0         0      0      0     0.0       -       -', ''].join('\n'),
    );
  });
});
