import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileLogEntry, IngestionLogFilter } from '../../../ingest/src/cassandra/ingestion-log';
import { openQuarantine, readRejections, tenantOutcomes } from '../../../ingest/src/api/file-outcomes';
import type { IngestionLogSource } from '../../../ingest/src/api/ingestion-log-access';
import { HttpError } from '../../../ingest/src/http/http-error';
import { KeyRing } from '../../../ingest/src/crypto/key-ring';
import { stagingLayout } from '../../../ingest/src/staging/staging-layout';
import { clientA, tenantOf } from '../helpers/datasets';

const tenant = tenantOf('client_a', [clientA()]);
const dataset = tenant.datasets[0]!;
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'outcomes-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const layout = () => stagingLayout(root, tenant.client, dataset);
function put(dir: string, name: string, at: Date, content = 'x\n'): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), content);
  fs.utimesSync(path.join(dir, name), at, at);
}
const entry = (file: string, startedAt: Date, rowsOk: number, rowsRejected = 0): FileLogEntry => ({
  client: tenant.client, dataset: dataset.name, file, fileSha256: 'ab', startedAt, finishedAt: startedAt, durationMs: 12, bytes: 2,
  rowsOk, rowsRejected, rowsDeduplicated: 0, outcome: 'archived', quality: rowsRejected > 0 ? { schema: rowsRejected } : {},
});
/** A log holding `entries`, which records the filters it was read with. */
function fakeLog(entries: FileLogEntry[], filters: IngestionLogFilter[] = []): IngestionLogSource {
  return {
    async *list(filter = {}) {
      filters.push(filter);
      yield* entries.filter((e) => e.client === filter.client && e.dataset === filter.dataset && (filter.since === undefined || e.startedAt >= filter.since));
    },
  };
}

describe('tenantOutcomes', () => {
  it("gives each handled file the first log row that started after it was written, and none to waiting files", async () => {
    put(layout().archive, 'day.csv', new Date('2026-01-01T10:00:00Z'));
    put(layout().inbox, 'next.csv', new Date('2026-01-01T12:00:00Z'));
    put(layout().quarantine, 'day.csv.rejected.jsonl', new Date('2026-01-01T10:01:00Z'));
    const filters: IngestionLogFilter[] = [];
    const log = fakeLog([
      entry('day.csv', new Date('2026-01-01T09:00:00Z'), 1), // an older upload of the same name
      entry('day.csv', new Date('2026-01-01T10:01:00Z'), 7, 2),
      entry('day.csv', new Date('2026-01-01T11:00:00Z'), 9), // a later one
      entry('next.csv', new Date('2026-01-01T12:01:00Z'), 3),
    ], filters);
    const view = await tenantOutcomes(root, tenant, log);
    await expect(view.ingestion_log).toEqual({ available: true });
    await expect(view.files.map((f) => [f.name, f.state, f.ingestion?.rows_ok, f.ingestion?.quarantine])).toEqual([
      ['next.csv', 'waiting', undefined, undefined],
      ['day.csv', 'archived', 7, true],
    ]);
    await expect(view.files[1]!.ingestion).toEqual({ outcome: 'archived', started_at: '2026-01-01T10:01:00.000Z', duration_ms: 12, rows_ok: 7, rows_rejected: 2, rows_deduplicated: 0, quality: { schema: 2 }, quarantine: true });
    // only rows newer than the oldest handled file (less the clock slack) are read
    await expect(filters).toEqual([{ client: 'client_a', dataset: dataset.name, since: new Date('2026-01-01T09:59:58Z') }]);
  });

  it('keeps the states and says why when the log cannot be read', async () => {
    put(layout().archive, 'day.csv', new Date('2026-01-01T10:00:00Z'));
    const broken: IngestionLogSource = {
      // eslint-disable-next-line require-yield
      async *list() {
        throw new Error('cannot connect to Cassandra at 127.0.0.1:9042: refused');
      },
    };
    const view = await tenantOutcomes(root, tenant, broken);
    await expect(view.ingestion_log).toEqual({ available: false, error: 'cannot connect to Cassandra at 127.0.0.1:9042: refused' });
    await expect(view.files.map((f) => [f.name, f.state, f.ingestion])).toEqual([['day.csv', 'archived', undefined]]);
    await expect((await tenantOutcomes(root, tenant, undefined)).ingestion_log).toEqual({ available: false, error: 'no ingestion log configured' });
  });
});

describe('openQuarantine and readRejections', () => {
  const keyRing = (client: string) => new KeyRing(client, 'k1', new Map([['k1', Buffer.alloc(32, 1)]]));

  it('reads the first rows and says when there are more', async () => {
    const lines = [1, 2, 3].map((n) => JSON.stringify({ record: n, reason: `bad ${n}`, rule: 'schema' }));
    put(layout().quarantine, 'day.csv.rejected.jsonl', new Date(), `${lines.join('\n')}\n`);
    await expect(await readRejections(await openQuarantine(root, tenant, dataset, 'day.csv', keyRing), 2)).toEqual({ rows: [{ record: 1, reason: 'bad 1', rule: 'schema' }, { record: 2, reason: 'bad 2', rule: 'schema' }], truncated: true });
    await expect(await readRejections(await openQuarantine(root, tenant, dataset, 'day.csv', keyRing), 3)).toMatchObject({ truncated: false });
  });

  it('is a 404 naming the file when no rejected rows are kept', async () => {
    await expect(openQuarantine(root, tenant, dataset, 'none.csv', keyRing)).rejects.toThrow(new HttpError(404, 'no_quarantine', `no rejected rows are kept for none.csv in dataset ${dataset.name}`));
  });
});
