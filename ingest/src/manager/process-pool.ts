import { spawn, type ChildProcess } from 'node:child_process';
import type { Dataset, Tenant } from '../../../infra/tenant/types';
import type { Logger } from '../log';
import { NOTHING_SKIPPED, type ScaleResult, type ScaleTarget } from './scale-target';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export interface ProcessPoolOptions {
  /** What to start for one instance of a tenant dataset (e.g. `mysimbdp stream` with CLIENT_ID/DATASET). */
  readonly spec: (tenant: Tenant, dataset: Dataset, instance: number) => ProcessSpec;
  readonly logger: Logger;
  /** Wait after SIGTERM before SIGKILL. @default 30000 */
  readonly stopTimeoutMs?: number;
  /** Where children's stdout/stderr go. @default 'inherit' */
  readonly stdio?: 'inherit' | 'ignore';
}

interface Instance {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/** An instance living this long resets its dataset's crash backoff. */
const STABLE_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The local ScaleTarget: keeps N child processes per tenant dataset. A child that dies unasked is
 * replaced (so the pool holds its size); shrinking stops the newest instances with SIGTERM, so they
 * finish or hand back in-flight work.
 */
export class ProcessPool implements ScaleTarget {
  readonly #pools = new Map<string, Instance[]>();
  readonly #stopping = new Set<ChildProcess>();
  /** Consecutive unasked exits per pool key, for the replacement backoff. */
  readonly #crashes = new Map<string, number>();
  #closed = false;

  constructor(private readonly options: ProcessPoolOptions) {}

  async replicas(tenant: Tenant, dataset: Dataset): Promise<number> {
    return this.#pool(tenant, dataset).length;
  }

  async scale(tenant: Tenant, dataset: Dataset, replicas: number): Promise<ScaleResult> {
    const pool = this.#pool(tenant, dataset);
    while (!this.#closed && pool.length < replicas) pool.push(this.#start(tenant, dataset, pool));
    await Promise.all(pool.splice(replicas).map((instance) => this.#stop(instance)));
    return NOTHING_SKIPPED;
  }

  /** Stops every instance of every pool. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#pools.values()].flatMap((pool) => pool.splice(0)).map((instance) => this.#stop(instance)));
  }

  /** Process ids per `<client>/<dataset>`, for status output and tests. */
  pids(): Record<string, number[]> {
    return Object.fromEntries([...this.#pools].map(([key, pool]) => [key, pool.map((i) => i.child.pid ?? -1)]));
  }

  #pool(tenant: Tenant, dataset: Dataset): Instance[] {
    const key = `${tenant.client}/${dataset.name}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) this.#pools.set(key, (pool = []));
    return pool;
  }

  #start(tenant: Tenant, dataset: Dataset, pool: Instance[]): Instance {
    const spec = this.options.spec(tenant, dataset, pool.length);
    const child = spawn(spec.command, [...spec.args], { env: spec.env, stdio: ['ignore', this.options.stdio ?? 'inherit', this.options.stdio ?? 'inherit'] });
    const key = `${tenant.client}/${dataset.name}`;
    const startedAt = Date.now();
    const log = this.options.logger.child({ tenant: tenant.client, dataset: dataset.name, pid: child.pid });
    log.info('instance started', { command: [spec.command, ...spec.args].join(' ') });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        const asked = this.#stopping.delete(child);
        const index = pool.findIndex((i) => i.child === child);
        if (!asked && index >= 0) {
          // Replace it, backing off 1 s, 2 s, 4 s … 30 s while instances keep dying young (a crash loop).
          const crashes = Date.now() - startedAt >= STABLE_MS ? 0 : (this.#crashes.get(key) ?? 0);
          this.#crashes.set(key, crashes + 1);
          const delayMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** crashes);
          log.warn('instance exited unasked; replacing it', { code, signal, restart_in_ms: delayMs });
          pool.splice(index, 1);
          if (!this.#closed) setTimeout(() => void this.scale(tenant, dataset, pool.length + 1), delayMs).unref();
        } else {
          log.info('instance stopped', { code, signal });
        }
        resolve();
      });
      child.once('error', (err) => {
        log.error('instance failed to start', { error: err.message });
        resolve();
      });
    });
    return { child, exited };
  }

  async #stop(instance: Instance): Promise<void> {
    const { child } = instance;
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.#stopping.add(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 30_000);
    await instance.exited;
    clearTimeout(timer);
  }
}
