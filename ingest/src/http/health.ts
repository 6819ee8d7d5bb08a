// What a worker's probes see: alive until it has failed for good (then the process also exits, so a
// failed liveness probe only covers a process stuck before it could), ready once its engines are
// connected and its work has started.

export interface HealthReport {
  readonly live: boolean;
  readonly ready: boolean;
  /** Why not ready or not live. @default none */
  readonly reason?: string;
}

export class Health {
  #ready = false;
  #reason: string | undefined = 'starting';
  #failure: Error | undefined;

  markReady(): void {
    this.#ready = true;
    this.#reason = undefined;
  }

  markNotReady(reason: string): void {
    this.#ready = false;
    this.#reason = reason;
  }

  /** A failure the worker does not recover from: not live, not ready. */
  fail(error: Error): void {
    this.#failure ??= error;
  }

  get report(): HealthReport {
    if (this.#failure !== undefined) return { live: false, ready: false, reason: this.#failure.message };
    return this.#reason === undefined ? { live: true, ready: this.#ready } : { live: true, ready: this.#ready, reason: this.#reason };
  }
}
