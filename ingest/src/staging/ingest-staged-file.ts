import * as crypto from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Producer } from 'kafkajs';
import type { Dataset, FileType, Tenant } from '../../../infra/tenant/types';
import type { AvroCodec } from '../avro/avro-codec';
import type { FileLogEntry, IngestionLog } from '../cassandra/ingestion-log';
import type { KeyRingResolver } from '../crypto/encrypted-file';
import { keyRingFromEnvironment } from '../crypto/key-ring';
import { InputError, MysimbdpError } from '../../../infra/errors';
import { errorFields, type Logger } from '../log';
import type { IngestMetrics } from '../metrics/ingest-metrics';
import { KafkaSender, type KafkaSenderOptions } from '../pipeline/kafka-sender';
import { fileOrder } from '../kafka/write-order';
import { runPipeline, type PipelineResult } from '../pipeline/pipeline';
import { rejectionJson } from '../pipeline/rejection';
import type { Progress } from '../progress';
import type { RecordBatches } from '../readers/raw-record';
import { fileTypeOf, readRecords } from '../readers/read-records';
import { createRowFormatter } from '../wrangle/format-row';
import { archive, fail } from './file-moves';
import { openStagedFile } from './open-staged-file';
import { OutputFile } from './output-file';
import type { StagingLayout } from './staging-layout';

/**
 * archived: rows acknowledged by Kafka, file in archive/. skipped: same content archived before,
 * file in archive/. failed: the file's own fault (e.g. a bad header), file in failed/ with a reason.
 * retry: an engine failed; the file stays in in/.processing/ and the next run takes it first.
 */
export type FileOutcome = 'archived' | 'skipped' | 'failed' | 'retry';

export interface FileReport extends Omit<PipelineResult, 'quality'> {
  readonly file: string;
  readonly bytes: number;
  readonly durationMs: number;
  readonly outcome: FileOutcome;
  readonly reason?: string;
  readonly quality: Readonly<Record<string, number>>;
}

export interface FileIngestionContext {
  readonly tenant: Tenant;
  readonly dataset: Dataset;
  readonly layout: StagingLayout;
  readonly codec: AvroCodec;
  readonly producer: Producer;
  readonly ingestionLog: Pick<IngestionLog, 'recordFile' | 'wasIngested'>;
  readonly logger: Logger;
  readonly metrics?: IngestMetrics;
  readonly sender?: KafkaSenderOptions;
  /** A progress reporter per file, given its name and size (batch). @default none */
  readonly progress?: (file: string, bytes: number) => Progress;
  /** Key ring for the out/ and quarantine/ files of a tenant whose agreement sets `encryption`. @default keyRingFromEnvironment */
  readonly keyRing?: KeyRingResolver;
}

/** Hex SHA-256 of a staged file's content, streamed. */
export async function sha256Of(filePath: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of openStagedFile(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const ZERO = { rowsOk: 0, rowsRejected: 0, rowsDeduplicated: 0, quality: {} } as const;

/**
 * One claimed file (in in/.processing/) end to end: skip if identical content was archived; else
 * run the pipeline (out/ and quarantine/ files written beside), record the ingestion-log row, and
 * move the file to archive/ only after Kafka acknowledged all its rows. Never throws for a file's
 * problem: the report says what happened; one JSON log line per file.
 */
export async function ingestStagedFile(ctx: FileIngestionContext, name: string): Promise<FileReport> {
  const { tenant, dataset, layout, logger } = ctx;
  const filePath = path.join(layout.processing, name);
  const startedAt = new Date();
  let bytes = 0;
  let sha = '';
  let result: PipelineResult = { ...ZERO };
  let outcome: FileOutcome;
  let reason: string | undefined;
  const out = { valid: undefined as OutputFile | undefined, rejected: undefined as OutputFile | undefined };
  let progress: Progress | undefined;
  try {
    const stat = await fs.stat(filePath, { bigint: true });
    bytes = Number(stat.size);
    sha = await sha256Of(filePath);
    if (await ctx.ingestionLog.wasIngested(tenant.client, dataset.name, sha)) {
      outcome = 'skipped';
      reason = `identical content (sha256 ${sha}) was already ingested`;
    } else {
      const type = fileTypeOf(name);
      if (type === undefined || !dataset.fileTypes.includes(type)) throw new InputError(`${name}: file type not accepted by dataset ${dataset.name}`);
      const formatter = createRowFormatter(dataset, type);
      // An encrypting tenant's derived files are encrypted at rest like its uploads.
      const keys = tenant.agreement.encryption ? (ctx.keyRing ?? keyRingFromEnvironment)(tenant.client) : undefined;
      const valid = new OutputFile(path.join(layout.out, name), { header: formatter.header, keys });
      const rejected = new OutputFile(path.join(layout.quarantine, `${name}.rejected.jsonl`), { keys });
      out.valid = valid;
      out.rejected = rejected;
      progress = ctx.progress?.(name, bytes);
      result = await runPipeline(
        { tenant: tenant.client, dataset, codec: ctx.codec, sender: new KafkaSender(ctx.producer, ctx.sender) },
        {
          source: name,
          now: startedAt.getTime(),
          order: fileOrder(stat.mtimeNs),
          records: (only) => (progress === undefined ? readRecords(openStagedFile(filePath), dataset, type, name, only) : readWithProgress(filePath, dataset, type, name, progress, only)),
          onValid: (row) => valid.write(formatter.format(row)),
          onRejected: (r) => rejected.write(JSON.stringify(rejectionJson(r))),
        },
      );
      progress?.done();
      await valid.commit();
      await rejected.commit();
      outcome = 'archived';
    }
  } catch (err) {
    progress?.done();
    await out.valid?.abort();
    await out.rejected?.abort();
    // The file's own fault goes to failed/; an engine's (or an unknown) failure leaves it for a retry.
    outcome = err instanceof InputError ? 'failed' : 'retry';
    reason = err instanceof MysimbdpError || err instanceof Error ? err.message : String(err);
    if (!(err instanceof MysimbdpError)) logger.error('unexpected error', { file: name, ...errorFields(err) });
  }

  const finishedAt = new Date();
  const entry: FileLogEntry = {
    client: tenant.client, dataset: dataset.name, file: name, fileSha256: sha, startedAt, finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(), bytes, ...result,
    outcome: outcome === 'retry' ? 'failed' : outcome,
    ...(reason === undefined ? {} : { reason: outcome === 'retry' ? `${reason}; left in in/.processing for the next run` : reason }),
  };
  try {
    // Logged before the move: a crash in between re-finds the file in .processing, and wasIngested skips it.
    await ctx.ingestionLog.recordFile(entry);
    if (outcome === 'archived' || outcome === 'skipped') await archive(layout, name);
    else if (outcome === 'failed') await fail(layout, name, { tenant: tenant.client, dataset: dataset.name, file: name, reason, failed_at: finishedAt.toISOString() });
  } catch (err) {
    outcome = 'retry';
    reason = `${reason === undefined ? '' : `${reason}; `}could not record or move the file: ${(err as Error).message}`;
  }

  const report: FileReport = { file: name, bytes, durationMs: Date.now() - startedAt.getTime(), outcome, ...(reason === undefined ? {} : { reason }), ...result };
  logFile(ctx, report);
  return report;
}

/** One pass over a staged file's records, counted: bytes per chunk read, rows per batch. */
async function* readWithProgress(filePath: string, dataset: Dataset, type: FileType, name: string, progress: Progress, only?: readonly string[]): RecordBatches {
  progress.restart();
  for await (const batch of readRecords(openStagedFile(filePath, { onRead: (bytes) => progress.add(0, bytes) }), dataset, type, name, only)) {
    progress.add(batch.length);
    yield batch;
  }
}

/** The one log line and the metrics of a handled file. */
export function logFile(ctx: Pick<FileIngestionContext, 'tenant' | 'dataset' | 'logger' | 'metrics'>, report: FileReport | (Pick<FileReport, 'file' | 'bytes' | 'reason'> & { outcome: 'refused' })): void {
  const { rowsOk = 0, rowsRejected = 0, rowsDeduplicated = 0, durationMs = 0, quality = {} } = report as Partial<FileReport>;
  const fields = {
    tenant: ctx.tenant.client, dataset: ctx.dataset.name, file: report.file, bytes: report.bytes,
    rows_ok: rowsOk, rows_rejected: rowsRejected, rows_deduplicated: rowsDeduplicated, duration_ms: durationMs,
    outcome: report.outcome, quality, ...(report.reason === undefined ? {} : { error: report.reason }),
  };
  if (report.outcome === 'archived' || report.outcome === 'skipped') ctx.logger.info('file', fields);
  else ctx.logger.error('file', fields);
  const m = ctx.metrics;
  if (m === undefined) return;
  const labels = { tenant: ctx.tenant.client, dataset: ctx.dataset.name };
  m.files.inc({ ...labels, outcome: report.outcome });
  m.fileDuration.observe({ ...labels, outcome: report.outcome }, durationMs / 1000);
  if (report.outcome !== 'archived') return;
  m.bytes.inc(labels, report.bytes);
  m.rows.inc({ ...labels, result: 'ok' }, rowsOk);
  m.rows.inc({ ...labels, result: 'rejected' }, rowsRejected);
  m.rows.inc({ ...labels, result: 'deduplicated' }, rowsDeduplicated);
  for (const [rule, n] of Object.entries(quality)) m.rejectedByRule.inc({ ...labels, rule }, n);
}
