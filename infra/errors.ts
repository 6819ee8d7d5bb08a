/** Context carried by every runtime error, so a log line names what failed. */
export interface ErrorContext {
  readonly tenant?: string;
  readonly dataset?: string;
  readonly file?: string;
  /** 1-based record (row or message) number inside the file or batch. */
  readonly record?: number;
  readonly [key: string]: unknown;
}

export interface MysimbdpErrorOptions {
  readonly cause?: unknown;
  /** A retry may succeed (network, timeout, leader moved). @default false */
  readonly retriable?: boolean;
  readonly context?: ErrorContext;
}

/** The one error base class of the runtime; check with `instanceof`. */
export class MysimbdpError extends Error {
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(message: string, options: MysimbdpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

/** Bad command-line usage or settings: exit code 2, never retried. */
export class UsageError extends MysimbdpError {}

/** Input that breaks the tenant contract or a file limit: never retried. */
export class InputError extends MysimbdpError {}

/** An engine (Kafka, Cassandra, the Kubernetes API) failed; `retriable` tells whether to retry. */
export class EngineError extends MysimbdpError {}
