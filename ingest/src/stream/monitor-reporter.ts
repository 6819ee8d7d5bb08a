import { errorFields, type Logger } from '../log';
import type { StreamStats } from './stream-stats';

export interface MonitorReporterOptions {
  /** The monitor's `POST /reports` URL (MONITOR_URL). */
  readonly url: string;
  /** The tenant's report token (MONITOR_TOKEN), sent as a bearer token. */
  readonly token: string;
  readonly intervalSeconds: number;
  readonly stats: StreamStats;
  readonly logger: Logger;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Sends a report every interval. A monitor that is down costs a warning, never the ingestion:
 * the figures of a failed send are dropped (the next report covers the next window).
 */
export class MonitorReporter {
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: MonitorReporterOptions) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.#sending = this.send();
    }, this.options.intervalSeconds * 1000);
    this.#timer.unref();
  }

  /** Stops the timer and sends the last window. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sending;
    await this.send();
  }

  async send(): Promise<void> {
    const report = this.options.stats.take();
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      if (!res.ok) this.options.logger.warn('monitor refused the report', { status: res.status, body: (await res.text()).slice(0, 500) });
    } catch (err) {
      this.options.logger.warn('monitor unreachable', { url: this.options.url, ...errorFields(err) });
    }
  }
}
