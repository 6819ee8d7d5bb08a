import * as path from 'node:path';
import { listFiles, scanInbox, type Refusal } from '../staging/inbox';
import { claim } from '../staging/file-moves';
import { ingestStagedFile, logFile, sha256Of, type FileIngestionContext, type FileReport } from '../staging/ingest-staged-file';

export interface BatchSummary {
  readonly files: readonly FileReport[];
  readonly refused: readonly Refusal[];
  /** Acceptable files left in in/ for the next run (max files per run, or a stop after an engine failure). */
  readonly deferred: number;
}

/** Files not handled: failed/, or left in in/.processing after an engine failure. */
export function unhandled(summary: BatchSummary): FileReport[] {
  return summary.files.filter((f) => f.outcome === 'failed' || f.outcome === 'retry');
}

/** The ingestion-log row and log line of a file the dataset refuses (it stays in in/); shared with the stream. */
export async function recordRefusal(ctx: FileIngestionContext, r: Refusal): Promise<void> {
  const at = new Date();
  const fileSha256 = await sha256Of(path.join(ctx.layout.inbox, r.name)).catch(() => '');
  await ctx.ingestionLog.recordFile({
    client: ctx.tenant.client, dataset: ctx.dataset.name, file: r.name, fileSha256, startedAt: at, finishedAt: at, durationMs: 0,
    bytes: r.bytes, rowsOk: 0, rowsRejected: 0, rowsDeduplicated: 0, outcome: 'refused', reason: r.reason, quality: {},
  });
  logFile(ctx, { file: r.name, bytes: r.bytes, reason: r.reason, outcome: 'refused' });
}

/**
 * One batch run over a dataset's in/: first the files a crashed run left in in/.processing/, then
 * the inbox's acceptable files oldest first, up to max_files_per_run in all. Refused files (type,
 * size) stay in in/ untouched, with a log line and an ingestion-log row each run. An engine failure
 * stops the run: the rest waits for the next one.
 */
export async function runBatch(ctx: FileIngestionContext): Promise<BatchSummary> {
  const { layout, dataset, logger } = ctx;
  const recovered = await listFiles(layout.processing);
  const scan = await scanInbox(layout, dataset);
  const files: FileReport[] = [];

  for (const r of scan.refused) await recordRefusal(ctx, r);

  const budget = Math.max(0, dataset.maxFilesPerRun - recovered.length);
  const queue = [
    ...recovered.map((f) => ({ name: f.name, claimed: true })),
    ...scan.picked.slice(0, budget).map((f) => ({ name: f.name, claimed: false })),
  ];
  let deferred = scan.deferred + Math.max(0, scan.picked.length - budget);
  for (const [i, item] of queue.entries()) {
    if (item.claimed) logger.warn('resuming a file a previous run left in .processing', { file: item.name });
    else if (!(await claim(layout, item.name))) continue; // another instance took it
    const report = await ingestStagedFile(ctx, item.name);
    files.push(report);
    if (report.outcome === 'retry') {
      deferred += queue.length - i - 1;
      break;
    }
  }
  return { files, refused: scan.refused, deferred };
}
