import { describe, expect, it } from 'vitest';
import { ReportWindow } from '../../../ingest/src/monitor/report-window';
import type { StreamReport } from '../../../ingest/src/monitor/stream-report';

const report = (r: Partial<StreamReport>): StreamReport => ({
  tenant: 'client_a', dataset: 'd', instance: 'i1', timestamp: '2026-01-01T00:00:00Z', window_seconds: 10,
  messages: 0, rows: 0, bytes: 0, avg_ingestion_ms: 0, p95_ingestion_ms: 0, errors: 0, ...r,
});

describe('ReportWindow', () => {
  it('sums instance rates, weights averages by messages and forgets old reports', () => {
    const w = new ReportWindow(60);
    w.add(report({ instance: 'i1', rows: 1000, messages: 1, avg_ingestion_ms: 100, p95_ingestion_ms: 150 }), 0);
    w.add(report({ instance: 'i1', rows: 1000, messages: 3, avg_ingestion_ms: 300, p95_ingestion_ms: 400 }), 10_000);
    w.add(report({ instance: 'i2', rows: 500, messages: 0, avg_ingestion_ms: 0 }), 10_000);
    w.add(report({ dataset: 'other', rows: 7 }), 10_000);
    expect(w.stats('client_a', 'd', 10_000)).toEqual({
      reports: 3, instances: 2, messages: 4, rows: 2500, bytes: 0, errors: 0,
      rowsPerSecond: 2000 / 20 + 500 / 10, avgIngestionMs: 250, maxP95IngestionMs: 400, coveredSeconds: 20,
    });
    expect(w.recent('client_a', 10_000)).toHaveLength(4);
    expect(w.stats('client_a', 'd', 65_000).reports).toBe(2);
    expect(w.stats('client_a', 'd', 200_000).reports).toBe(0);
    expect(w.recent('client_a', 200_000)).toEqual([]);
  });
});
