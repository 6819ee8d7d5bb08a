import { describe, expect, it } from 'vitest';
import type { StreamSettings } from '../../../infra/tenant/types';
import { decide } from '../../../ingest/src/monitor/decide';
import type { WindowStats } from '../../../ingest/src/monitor/report-window';

const settings: StreamSettings = { reportIntervalSeconds: 10, minRowsPerSecond: 100, maxAvgIngestionMs: 2000, minReplicas: 1, maxReplicas: 3 };
const stats = (s: Partial<WindowStats>): WindowStats => ({ reports: 6, instances: 1, messages: 10, rows: 6000, bytes: 1, errors: 0, rowsPerSecond: 1000, avgIngestionMs: 100, maxP95IngestionMs: 200, coveredSeconds: 60, ...s });

describe('decide', () => {
  it('does nothing within thresholds or without reports', () => {
    expect(decide('c', 'd', stats({}), settings, 2, 60)).toEqual([]);
    expect(decide('c', 'd', stats({ reports: 0, messages: 0, rows: 0 }), settings, 2, 60)).toEqual([]);
  });

  it('scales up below minRowsPerSecond while there is work', () => {
    expect(decide('c', 'd', stats({ rowsPerSecond: 42.123 }), settings, 1, 60)).toEqual([
      { tenant: 'c', dataset: 'd', action: 'scale_up', from: 1, to: 2, reason: '42.12 rows/s < minRowsPerSecond 100' },
    ]);
  });

  it('scales up above maxAvgIngestionMs, naming both causes', () => {
    expect(decide('c', 'd', stats({ rowsPerSecond: 50, avgIngestionMs: 2500 }), settings, 2, 60)).toEqual([
      { tenant: 'c', dataset: 'd', action: 'scale_up', from: 2, to: 3, reason: 'average ingestion 2500 ms > maxAvgIngestionMs 2000; 50 rows/s < minRowsPerSecond 100' },
    ]);
  });

  it('alerts instead of scaling past maxReplicas', () => {
    expect(decide('c', 'd', stats({ avgIngestionMs: 9000 }), settings, 3, 60)).toEqual([
      { tenant: 'c', dataset: 'd', action: 'alert', from: 3, to: 3, reason: 'average ingestion 9000 ms > maxAvgIngestionMs 2000; already at maxReplicas 3' },
    ]);
  });

  it('scales down after a whole idle window, never below minReplicas', () => {
    const idle = stats({ messages: 0, rows: 0, rowsPerSecond: 0 });
    expect(decide('c', 'd', idle, settings, 3, 60)).toEqual([{ tenant: 'c', dataset: 'd', action: 'scale_down', from: 3, to: 2, reason: 'idle for 60 s (no messages or rows)' }]);
    expect(decide('c', 'd', idle, settings, 1, 60)).toEqual([]);
    expect(decide('c', 'd', { ...idle, coveredSeconds: 30 }, settings, 3, 60)).toEqual([]);
  });

  it('does not treat a quiet tenant as slow', () => {
    expect(decide('c', 'd', stats({ messages: 0, rows: 0, rowsPerSecond: 0, coveredSeconds: 20 }), settings, 2, 60)).toEqual([]);
    expect(decide('c', 'd', stats({ rowsPerSecond: 1 }), { ...settings, minRowsPerSecond: 0 }, 2, 60)).toEqual([]);
  });

  it('alerts on errors', () => {
    expect(decide('c', 'd', stats({ errors: 4 }), settings, 1, 60)).toEqual([{ tenant: 'c', dataset: 'd', action: 'alert', from: 1, to: 1, reason: '4 errors in the last 60 s' }]);
  });
});
