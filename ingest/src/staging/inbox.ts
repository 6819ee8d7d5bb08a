import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Dataset } from '../../../infra/tenant/types';
import { fileTypeOf } from '../readers/read-records';
import type { StagingLayout } from './staging-layout';

export interface InboxFile {
  readonly name: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

/** A file the dataset's limits refuse; it stays in in/ untouched. */
export interface Refusal extends InboxFile {
  readonly reason: string;
}

export interface InboxScan {
  /** Files to ingest this run: accepted types within the size limit, oldest first, at most maxFilesPerRun. */
  readonly picked: readonly InboxFile[];
  readonly refused: readonly Refusal[];
  /** Acceptable files left for a later run by maxFilesPerRun. */
  readonly deferred: number;
}

/** Regular files directly in `dir` (dot-files and folders such as .processing/ and .upload/ skipped), oldest first. */
export async function listFiles(dir: string): Promise<InboxFile[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files: InboxFile[] = [];
  for (const e of entries) {
    if (!e.isFile() || e.name.startsWith('.')) continue;
    try {
      const st = await fs.stat(path.join(dir, e.name));
      files.push({ name: e.name, bytes: st.size, mtimeMs: st.mtimeMs });
    } catch (err) {
      // Taken by another instance between readdir and stat.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return files.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Why the dataset refuses a file, or undefined when it accepts it. */
export function refusalReason(dataset: Dataset, file: Pick<InboxFile, 'name' | 'bytes'>): string | undefined {
  const type = fileTypeOf(file.name);
  if (type === undefined || !dataset.fileTypes.includes(type)) {
    const ext = path.extname(file.name) === '' ? 'no extension' : `extension "${path.extname(file.name)}"`;
    return `file type not accepted: ${ext}; dataset ${dataset.name} accepts ${dataset.fileTypes.map((t) => `.${t}`).join(', ')}`;
  }
  if (file.bytes > dataset.maxFileSizeBytes) {
    return `file too large: ${file.bytes} bytes exceeds max_file_size_mb ${dataset.maxFileSizeMb} (${dataset.maxFileSizeBytes} bytes)`;
  }
  return undefined;
}

/** What one run takes from in/, per the dataset's file types, size limit and files per run. */
export async function scanInbox(layout: StagingLayout, dataset: Dataset): Promise<InboxScan> {
  const picked: InboxFile[] = [];
  const refused: Refusal[] = [];
  let deferred = 0;
  for (const file of await listFiles(layout.inbox)) {
    const reason = refusalReason(dataset, file);
    if (reason !== undefined) refused.push({ ...file, reason });
    else if (picked.length < dataset.maxFilesPerRun) picked.push(file);
    else deferred++;
  }
  return { picked, refused, deferred };
}
