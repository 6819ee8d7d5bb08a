import type { Schedule } from '../../../infra/tenant/rules/cron';
import { errorFields, type Logger } from '../log';

interface Job {
  readonly name: string;
  readonly schedule: Schedule;
  readonly run: () => Promise<void>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * mysimbdp-batchingestmanager on one machine: runs jobs on CronJob schedules (the tenant
 * contract's parser, in the agreement's time zone, else UTC), like CronJobs with concurrencyPolicy Forbid — a run still going when the
 * next is due makes that next run skip, with a log line.
 */
export class CronScheduler {
  readonly #jobs: Job[] = [];
  #stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `run` on the schedule, in its time zone, as its CronJob would. */
  add(name: string, schedule: Schedule, run: () => Promise<void>): void {
    const job: Job = { name, schedule, run };
    this.#jobs.push(job);
    this.#arm(job);
  }

  /** When each job runs next. */
  next(): Record<string, string | null> {
    return Object.fromEntries(this.#jobs.map((j) => [j.name, j.schedule.next(new Date(this.now()))?.toISOString() ?? null]));
  }

  /** No more runs; waits for the runs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const job of this.#jobs) clearTimeout(job.timer);
    await Promise.all(this.#jobs.map((j) => j.running));
  }

  #arm(job: Job): void {
    if (this.#stopped) return;
    const at = job.schedule.next(new Date(this.now()));
    if (at === undefined) return;
    // Long delays are re-armed in steps: setTimeout holds at most ~24.8 days.
    const delay = Math.min(at.getTime() - this.now(), 2 ** 31 - 1);
    job.timer = setTimeout(() => {
      if (this.now() + 1000 < at.getTime()) {
        this.#arm(job);
        return;
      }
      this.#fire(job);
      this.#arm(job);
    }, Math.max(0, delay));
  }

  #fire(job: Job): void {
    if (job.running !== undefined) {
      this.logger.warn('scheduled run skipped: the previous one is still running', { job: job.name });
      return;
    }
    this.logger.info('scheduled run', { job: job.name });
    job.running = job
      .run()
      .catch((err: unknown) => this.logger.error('scheduled run failed', { job: job.name, ...errorFields(err) }))
      .finally(() => {
        job.running = undefined;
      });
  }
}
