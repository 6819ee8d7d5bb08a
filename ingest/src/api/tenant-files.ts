import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import { HttpError } from '../http/http-error';
import { refusalReason } from '../staging/inbox';
import { stagingLayout } from '../staging/staging-layout';

export type FileState = 'waiting' | 'processing' | 'archived' | 'failed' | 'refused';

export interface TenantFile {
  readonly dataset: string;
  readonly name: string;
  readonly state: FileState;
  readonly bytes: number;
  readonly modified: string;
  /** Why a file failed (its reason file's `reason`, or its whole content) or is refused (type, size). */
  readonly reason?: unknown;
}

const REASON_SUFFIX = '.reason.json';

async function filesIn(dir: string): Promise<{ name: string; stat: fs.Stats }[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: { name: string; stat: fs.Stats }[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
    if (stat?.isFile() === true) out.push({ name, stat });
  }
  return out;
}

async function readReason(file: string): Promise<{ refused: boolean; reason: unknown } | undefined> {
  try {
    const parsed = JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return { refused: false, reason: parsed };
    const record = parsed as Record<string, unknown>;
    return { refused: record.outcome === 'refused', reason: record.reason ?? record };
  } catch {
    return undefined;
  }
}

/** The tenant's dataset of that name (its first without one); a 404 naming the ones it has otherwise. */
export function datasetOf(tenant: Tenant, name: string | undefined): Dataset {
  const dataset = name === undefined ? tenant.datasets[0] : tenant.datasets.find((d) => d.name === name);
  if (dataset === undefined) {
    throw new HttpError(404, 'unknown_dataset', `tenant ${tenant.client} has no dataset ${JSON.stringify(name)} (has: ${tenant.datasets.map((d) => d.name).join(', ')})`);
  }
  return dataset;
}

/** Every file of every dataset of the tenant with its state in the staging life cycle, newest first. */
export async function listTenantFiles(sourcePath: string, tenant: Tenant): Promise<TenantFile[]> {
  const files: TenantFile[] = [];
  for (const dataset of tenant.datasets) {
    const layout = stagingLayout(sourcePath, tenant.client, dataset);
    const entry = (name: string, stat: fs.Stats, state: FileState, reason?: unknown): TenantFile => ({
      dataset: dataset.name,
      name,
      state,
      bytes: stat.size,
      modified: stat.mtime.toISOString(),
      ...(reason === undefined ? {} : { reason }),
    });
    // Files the dataset refuses (type, size) stay in in/ untouched; they are refused, not waiting.
    for (const { name, stat } of await filesIn(layout.inbox)) {
      const reason = refusalReason(dataset, { name, bytes: stat.size });
      files.push(reason === undefined ? entry(name, stat, 'waiting') : entry(name, stat, 'refused', reason));
    }
    for (const [dir, state] of [[layout.processing, 'processing'], [layout.archive, 'archived']] as const) {
      for (const { name, stat } of await filesIn(dir)) files.push(entry(name, stat, state));
    }
    for (const { name, stat } of await filesIn(layout.failed)) {
      if (name.endsWith(REASON_SUFFIX)) continue;
      const reason = await readReason(path.join(layout.failed, `${name}${REASON_SUFFIX}`));
      files.push(entry(name, stat, reason?.refused === true ? 'refused' : 'failed', reason?.reason ?? 'no reason file'));
    }
  }
  return files.sort((a, b) => b.modified.localeCompare(a.modified) || a.name.localeCompare(b.name));
}
