import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../ingest/src/log';
import { createIngestMetrics } from '../../../ingest/src/metrics/ingest-metrics';
import { logFile } from '../../../ingest/src/staging/ingest-staged-file';
import { clientA, tenantOf } from '../helpers/datasets';

describe('ingest metrics and the per-file log line', () => {
  it('count rows, files, bytes and rule failures by tenant and dataset; one JSON line per file', async () => {
    const metrics = createIngestMetrics();
    const lines: string[] = [];
    const ctx = { tenant: tenantOf('client_a', [clientA()]), dataset: clientA(), metrics, logger: createLogger({}, { write: (l) => lines.push(l) }) };
    logFile(ctx, { file: 'a.csv', bytes: 100, durationMs: 250, outcome: 'archived', rowsOk: 8, rowsRejected: 2, rowsDeduplicated: 1, quality: { schema: 2 } });
    logFile(ctx, { file: 'b.txt', bytes: 5, outcome: 'refused', reason: 'file type not accepted' });
    const text = await metrics.registry.metrics();
    await expect(text).toContain('mysimbdp_ingest_rows_total{tenant="client_a",dataset="speed-tracking-data",result="ok",component="ingest"} 8');
    await expect(text).toContain('mysimbdp_ingest_rejected_rows_by_rule_total{tenant="client_a",dataset="speed-tracking-data",rule="schema",component="ingest"} 2');
    await expect(text).toContain('mysimbdp_ingest_files_total{tenant="client_a",dataset="speed-tracking-data",outcome="refused",component="ingest"} 1');
    await expect(text).toContain('mysimbdp_ingest_bytes_total{tenant="client_a",dataset="speed-tracking-data",component="ingest"} 100');
    await expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'file', tenant: 'client_a', dataset: 'speed-tracking-data', file: 'a.csv', bytes: 100, rows_ok: 8, rows_rejected: 2, rows_deduplicated: 1, duration_ms: 250, outcome: 'archived' });
    await expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'error', msg: 'file', file: 'b.txt', outcome: 'refused', error: 'file type not accepted', rows_ok: 0 });
  });
});
