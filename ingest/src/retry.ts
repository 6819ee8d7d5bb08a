import { MysimbdpError } from '../../infra/errors';

export interface RetryOptions {
  /** Attempts in all, the first included. @default 5 */
  readonly attempts?: number;
  /** Delay before the second attempt, doubled each time. @default 200 */
  readonly baseDelayMs?: number;
  /** Ceiling of one delay. @default 10000 */
  readonly maxDelayMs?: number;
  /** Whether an error is worth another attempt. @default isRetriable */
  readonly retryOn?: (err: unknown) => boolean;
  /** Called before each wait, for logging. */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  readonly signal?: AbortSignal;
}

const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/**
 * Retriable: a MysimbdpError marked so, or a driver error that says it is (kafkajs `retriable`,
 * network codes). Programming errors never are.
 */
export function isRetriable(err: unknown): boolean {
  if (PROGRAMMING_ERRORS.some((kind) => err instanceof kind)) return false;
  if (err instanceof MysimbdpError) return err.retriable;
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { retriable?: unknown; code?: unknown; name?: unknown };
  if (typeof e.retriable === 'boolean') return e.retriable;
  if (typeof e.code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(e.code)) {
    return true;
  }
  // cassandra-driver's transient failures
  return typeof e.name === 'string' && ['NoHostAvailableError', 'OperationTimedOutError', 'BusyConnectionError'].includes(e.name);
}

/** Full-jitter exponential backoff: a random delay in [0, min(max, base·2^(n-1))]. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random = Math.random): number {
  return Math.round(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
}

/** The one retry helper: exponential backoff with jitter; rethrows the last error. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const retryOn = options.retryOn ?? isRetriable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= attempts || !retryOn(err) || options.signal?.aborted) throw err;
      const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs);
      options.onRetry?.(err, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
