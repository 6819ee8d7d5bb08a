import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import type { FileLogEntry, FileOutcome } from '../cassandra/ingestion-log';
import type { KeyRingResolver } from '../crypto/encrypted-file';
import { HttpError } from '../http/http-error';
import { errorFields } from '../log';
import { openStagedFile } from '../staging/open-staged-file';
import { stagingLayout } from '../staging/staging-layout';
import type { IngestionLogSource } from './ingestion-log-access';
import { listTenantFiles, type TenantFile } from './tenant-files';

/** One ingestion-log row of a file, as the API shows it. */
export interface FileIngestion {
  readonly outcome: FileOutcome;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly rows_ok: number;
  readonly rows_rejected: number;
  readonly rows_deduplicated: number;
  /** Rows failing each quality rule or rejection reason. */
  readonly quality: Readonly<Record<string, number>>;
  readonly reason?: string;
  /** A quarantine file with the rejected rows is kept (GET …/rejections, …/quarantine). */
  readonly quarantine: boolean;
}

export interface FileWithOutcome extends TenantFile {
  /** The ingestion-log row of this file, once a batch or stream handled it and the log answered. */
  readonly ingestion?: FileIngestion;
}

export interface TenantOutcomes {
  readonly tenant: string;
  /** Whether the figures could be read; the files and states come from the staging area either way. */
  readonly ingestion_log: { readonly available: boolean; readonly error?: string };
  readonly files: readonly FileWithOutcome[];
}

/** File timestamps and the log's clocks are compared with this slack (coarse filesystem times). */
const CLOCK_SLACK_MS = 2000;

export const quarantinePath = (sourcePath: string, client: string, dataset: Dataset, file: string): string =>
  path.join(stagingLayout(sourcePath, client, dataset).quarantine, `${file}.rejected.jsonl`);

/**
 * The tenant's files (staging states) with, for each file a run handled, its ingestion-log row: the
 * first row of that dataset and name that started after the file was last written (a later upload
 * of the same name is a later row). Reads only the log rows newer than the oldest such file.
 */
export async function tenantOutcomes(sourcePath: string, tenant: Tenant, log: IngestionLogSource | undefined): Promise<TenantOutcomes> {
  const files = await listTenantFiles(sourcePath, tenant);
  const handled = files.filter((f) => f.state !== 'waiting' && f.state !== 'processing');
  if (log === undefined) return { tenant: tenant.client, ingestion_log: { available: false, error: 'no ingestion log configured' }, files };
  const entries = new Map<string, FileLogEntry[]>();
  try {
    for (const dataset of tenant.datasets) {
      const mine = handled.filter((f) => f.dataset === dataset.name);
      if (mine.length === 0) continue;
      const since = new Date(Math.min(...mine.map((f) => Date.parse(f.modified))) - CLOCK_SLACK_MS);
      for await (const entry of log.list({ client: tenant.client, dataset: dataset.name, since })) {
        const key = `${entry.dataset}/${entry.file}`;
        entries.set(key, [...(entries.get(key) ?? []), entry]);
      }
    }
  } catch (err) {
    return { tenant: tenant.client, ingestion_log: { available: false, error: String(errorFields(err).error) }, files };
  }
  const withOutcomes: FileWithOutcome[] = [];
  for (const file of files) {
    const written = Date.parse(file.modified) - CLOCK_SLACK_MS;
    const candidates = file.state === 'waiting' || file.state === 'processing' ? [] : (entries.get(`${file.dataset}/${file.name}`) ?? []);
    const entry = candidates.filter((e) => e.startedAt.getTime() >= written).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())[0];
    if (entry === undefined) {
      withOutcomes.push(file);
      continue;
    }
    const dataset = tenant.datasets.find((d) => d.name === file.dataset)!;
    const quarantine = entry.rowsRejected > 0 && fs.existsSync(quarantinePath(sourcePath, tenant.client, dataset, entry.file));
    withOutcomes.push({
      ...file,
      ingestion: {
        outcome: entry.outcome,
        started_at: entry.startedAt.toISOString(),
        duration_ms: entry.durationMs,
        rows_ok: entry.rowsOk,
        rows_rejected: entry.rowsRejected,
        rows_deduplicated: entry.rowsDeduplicated,
        quality: entry.quality,
        ...(entry.reason === undefined ? {} : { reason: entry.reason }),
        quarantine,
      },
    });
  }
  return { tenant: tenant.client, ingestion_log: { available: true }, files: withOutcomes };
}

/**
 * A file's quarantine (rejected rows, JSON lines, decrypted when the tenant's files are encrypted);
 * a 404 when none is kept. Only the tenant's own key ring may open it.
 */
export async function openQuarantine(sourcePath: string, tenant: Tenant, dataset: Dataset, file: string, keyRing: KeyRingResolver): Promise<Readable> {
  const where = quarantinePath(sourcePath, tenant.client, dataset, file);
  try {
    await fs.promises.access(where, fs.constants.R_OK);
  } catch {
    throw new HttpError(404, 'no_quarantine', `no rejected rows are kept for ${file} in dataset ${dataset.name}`);
  }
  return openStagedFile(where, {
    keyRing: (client) => {
      if (client !== tenant.client) throw new HttpError(404, 'no_quarantine', `no rejected rows are kept for ${file} in dataset ${dataset.name}`);
      return keyRing(client);
    },
  });
}

/** The first `limit` rejected rows of a file's quarantine, each as written (reason, rule, field, value, raw…). */
export async function readRejections(stream: Readable, limit: number): Promise<{ rows: unknown[]; truncated: boolean }> {
  const rows: unknown[] = [];
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line === '') continue;
      if (rows.length === limit) return { rows, truncated: true };
      rows.push(JSON.parse(line));
    }
    return { rows, truncated: false };
  } finally {
    lines.close();
    stream.destroy();
  }
}
