import { Kafka, KafkaJSSASLAuthenticationError, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { EngineError, type ErrorContext } from '../../../infra/errors';
import { createLogger, processLogLevel, type Logger } from '../log';
import { engineSettings, type EngineSettings } from '../settings';

/** Expected on every start of our producer (bounded retries are a choice: see kafka/producer.ts). */
const EXPECTED_WARNINGS = new Set(['Limiting retries for the idempotent producer may invalidate EoS guarantees']);

/** kafkajs log entries as our JSON lines; INFO chatter (joins, connects) only at debug. */
export function kafkaLogCreator(logger: Logger): KafkaConfig['logCreator'] {
  return () => (entry: LogEntry) => {
    const { message, timestamp: _ts, ...rest } = entry.log;
    const fields = { kafka_namespace: entry.namespace, ...rest };
    if (entry.level === logLevel.ERROR) logger.error(message, fields);
    else if (entry.level === logLevel.WARN && !EXPECTED_WARNINGS.has(message)) logger.warn(message, fields);
    else logger.debug(message, fields);
  };
}

/** The runtime's kafkajs client: brokers and login from settings; kafkajs' INFO chatter as debug lines when debugging. */
export function createKafka(clientId: string, settings: EngineSettings = engineSettings()): Kafka {
  const logger = createLogger({ component: 'kafka', client_id: clientId });
  logger.debug('client', { brokers: settings.kafkaBrokers, ssl: settings.kafkaSsl, sasl_mechanism: settings.kafkaSasl?.mechanism ?? null, username: settings.kafkaSasl?.username ?? null });
  return new Kafka({
    clientId,
    brokers: [...settings.kafkaBrokers],
    ssl: settings.kafkaSsl,
    ...(settings.kafkaSasl === undefined ? {} : { sasl: { ...settings.kafkaSasl } as SASLOptions }),
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    // kafkajs' own backoff for metadata/connection errors; our retry.ts wraps whole operations.
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: processLogLevel() === 'debug' ? logLevel.INFO : logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  });
}

/**
 * A failed connect as an EngineError: retriable unless the broker refused the login (a wrong
 * password stays wrong); the message is the broker's, never the credentials.
 */
export function kafkaConnectError(err: unknown, context: ErrorContext = {}): EngineError {
  const refused = err instanceof KafkaJSSASLAuthenticationError;
  return new EngineError(`cannot connect to Kafka: ${(err as Error).message}`, { cause: err, retriable: !refused, context });
}

/** Protocol error types that mean "this member's group generation is over", not "Kafka is broken". */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'NOT_COORDINATOR', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

/**
 * Whether `err` (or an error it wraps: kafkajs wraps a non-retriable protocol error in a
 * KafkaJSNonRetriableError whose `cause` carries the `type`) says the consumer group rebalanced.
 */
export function isRebalanceError(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (REBALANCE_ERRORS.has(String((e as { type?: unknown }).type))) return true;
  }
  return false;
}
