import { MysimbdpError, UsageError } from '../../infra/errors';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** LOG_LEVEL's value; a UsageError naming the value when it is not a level. */
export function logLevelSetting(raw: string | undefined): LogLevel {
  const level = LOG_LEVELS.find((l) => l === (raw === undefined || raw === '' ? 'info' : raw));
  if (level === undefined) throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

let processLevel: LogLevel = 'info';

/** The level of every logger made without one: set once by the dispatcher from LOG_LEVEL / --verbose. */
export function setLogLevel(level: LogLevel): void {
  processLevel = level;
}

/** The level set by setLogLevel (for a library's own logger, e.g. kafkajs's). */
export function processLogLevel(): LogLevel {
  return processLevel;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Serialises an error for a log line: message, name, context, cause chain — never a stack of secrets. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof MysimbdpError) {
    return { error: err.message, error_name: err.name, retriable: err.retriable, ...err.context, ...(err.cause ? { cause: String((err.cause as Error).message ?? err.cause) } : {}) };
  }
  if (err instanceof Error) return { error: err.message, error_name: err.name };
  return { error: String(err) };
}

/** One JSON object per line on the given stream (stderr by default, so stdout stays for results). */
export function createLogger(
  base: Record<string, unknown> = {},
  options: {
    /** @default the process level (setLogLevel), info unless LOG_LEVEL or --verbose said otherwise */
    readonly level?: LogLevel;
    /** @default a line on stderr */
    readonly write?: (line: string) => void;
  } = {},
): Logger {
  const min = LEVELS[options.level ?? processLevel];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < min) return;
    write(`${JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger({ ...base, ...fields }, options),
  };
}
