import * as fs from 'node:fs';
import * as path from 'node:path';
import { recordRefusal } from '../batch/batch-run';
import { EngineError } from '../../../infra/errors';
import { errorFields } from '../log';
import { claim } from '../staging/file-moves';
import { listFiles, scanInbox } from '../staging/inbox';
import { ingestStagedFile, type FileIngestionContext } from '../staging/ingest-staged-file';
import type { WorkDone } from './stream-stats';

export interface InboxWorkerOptions {
  /** Rescan in/ this often even without a watcher event (missed events, NFS, restarts). @default 5000 */
  readonly rescanMs?: number;
  /** A claim in in/.processing/ untouched this long is handed back to in/ (its instance died). @default 900000 */
  readonly staleClaimMs?: number;
  /** Pause after an engine failure before the next attempt. @default 5000 */
  readonly retryDelayMs?: number;
  /**
   * On stop, wait this long for the file in progress, then hand its claim back to in/ for another
   * instance (its rows so far are upserted again there). Below Kubernetes' 30 s termination grace. @default 20000
   */
  readonly shutdownGraceMs?: number;
  /** Told what each file did (the monitor reports). @default nothing */
  readonly onWork?: (work: WorkDone) => void;
  /**
   * Engine failures in a row (files left for a retry, failed passes) after which the worker gives
   * up: a dependency that stays dead makes the process exit for its supervisor to restart, instead
   * of a loop on a closed client. @default 5
   */
  readonly maxEngineFailures?: number;
  /** Told once when the worker gives up. @default nothing */
  readonly onFailure?: (error: Error) => void;
}

/**
 * The stream's file trigger: the same life cycle as batch (claim → ingestStagedFile → archive/failed),
 * started by fs.watch events on in/ and by a periodic rescan. One file at a time per instance; several
 * instances share in/ safely because a claim is an atomic rename. Refused files are recorded once per
 * version (name, size, mtime), not at every rescan.
 */
export class InboxWorker {
  readonly #refused = new Set<string>();
  #watcher: fs.FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopping = false;
  #current: string | undefined;
  #engineFailures = 0;

  constructor(
    private readonly ctx: FileIngestionContext,
    private readonly options: InboxWorkerOptions = {},
  ) {}

  /** Name of the file being ingested now, if any. */
  get current(): string | undefined {
    return this.#current;
  }

  start(): void {
    fs.mkdirSync(this.ctx.layout.inbox, { recursive: true });
    try {
      this.#watcher = fs.watch(this.ctx.layout.inbox, () => this.kick());
      this.#watcher.on('error', (err) => this.ctx.logger.warn('watcher failed; relying on rescans', errorFields(err)));
    } catch (err) {
      this.ctx.logger.warn('cannot watch in/; relying on rescans', errorFields(err));
    }
    this.#timer = setInterval(() => this.kick(), this.options.rescanMs ?? 5000);
    this.kick();
  }

  /**
   * Stops watching and waits for the file in progress to finish (archived or failed as usual); one
   * that takes longer than the shutdown grace is handed back to in/ instead.
   */
  async stop(): Promise<void> {
    this.#stopTakingWork();
    const running = this.#running;
    if (running === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      running.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.options.shutdownGraceMs ?? 20_000))),
    ]);
    clearTimeout(timer);
    const current = this.#current;
    if (!finished && current !== undefined) {
      this.ctx.logger.warn('shutdown grace over: handing the file in progress back to in/', { file: current });
      await this.#handBack(current);
    }
  }

  /** Runs a pass now, or right after the running one. */
  kick(): void {
    if (this.#stopping) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  }

  /** Resolves once no pass is running (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      const failuresBefore = this.#engineFailures;
      try {
        await this.#handBackStaleClaims();
        await this.#pass();
        // a pass with no engine failure ends a run of them, even when it had no file to take
        if (this.#engineFailures === failuresBefore) this.#engineFailures = 0;
      } catch (err) {
        this.ctx.logger.error('inbox pass failed', errorFields(err));
        this.#engineFailed(err);
      }
    } while (this.#again && !this.#stopping);
  }

  async #pass(): Promise<void> {
    const { layout, dataset } = this.ctx;
    const scan = await scanInbox(layout, dataset);
    for (const r of scan.refused) {
      const version = `${r.name}\0${r.bytes}\0${r.mtimeMs}`;
      if (this.#refused.has(version)) continue;
      await recordRefusal(this.ctx, r);
      this.#refused.add(version);
    }
    for (const file of scan.picked) {
      if (this.#stopping) return;
      if (!(await claim(layout, file.name))) continue;
      this.#current = file.name;
      const report = await ingestStagedFile(this.ctx, file.name).finally(() => {
        this.#current = undefined;
      });
      this.options.onWork?.({
        messages: 1,
        rows: report.rowsOk,
        bytes: report.bytes,
        durationMs: report.durationMs,
        errors: report.rowsRejected + (report.outcome === 'failed' || report.outcome === 'retry' ? 1 : 0),
      });
      if (report.outcome === 'retry') {
        // An engine failed: give the file back to in/ for any instance, and pause before the next try.
        await this.#handBack(file.name);
        this.#engineFailed(new EngineError(`${file.name}: ${report.reason ?? 'an engine failed'}`, { context: { tenant: this.ctx.tenant.client, dataset: dataset.name, file: file.name } }));
        if (this.#stopping) return;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 5000));
        this.#again = true;
        return;
      }
      this.#engineFailures = 0;
    }
    if (scan.deferred > 0) this.#again = true;
  }

  #stopTakingWork(): void {
    this.#stopping = true;
    this.#watcher?.close();
    clearInterval(this.#timer);
  }

  /** Counts an engine failure; past the limit, stops taking work and tells the owner. */
  #engineFailed(err: unknown): void {
    this.#engineFailures += 1;
    const limit = this.options.maxEngineFailures ?? 5;
    if (this.#engineFailures < limit || this.#stopping) return;
    this.#stopTakingWork();
    const cause = err instanceof Error ? err.message : String(err);
    this.options.onFailure?.(new EngineError(`in/: ${limit} engine failures in a row, the last: ${cause}`, { cause: err, retriable: true, context: { tenant: this.ctx.tenant.client, dataset: this.ctx.dataset.name } }));
  }

  async #handBackStaleClaims(): Promise<void> {
    const staleMs = this.options.staleClaimMs ?? 900_000;
    for (const f of await listFiles(this.ctx.layout.processing)) {
      const st = await fs.promises.stat(path.join(this.ctx.layout.processing, f.name)).catch(() => undefined);
      // ctime changes with the claim's rename, so it says when the file was claimed.
      if (st !== undefined && Date.now() - st.ctimeMs > staleMs) {
        this.ctx.logger.warn('handing back a stale claim', { file: f.name, claimed_at: new Date(st.ctimeMs).toISOString() });
        await this.#handBack(f.name);
      }
    }
  }

  async #handBack(name: string): Promise<void> {
    const { layout } = this.ctx;
    try {
      await fs.promises.link(path.join(layout.processing, name), path.join(layout.inbox, name));
      await fs.promises.unlink(path.join(layout.processing, name));
    } catch (err) {
      // EEXIST: a new upload of that name waits in in/; keep this one claimed for the next stale check.
      this.ctx.logger.warn('cannot hand a file back to in/', { file: name, ...errorFields(err) });
    }
  }
}
