import { Kafka, logLevel, type KafkaConfig, type LogEntry, type SASLOptions } from 'kafkajs';
import { UsageError } from '../../../infra/errors';
import { createLogger, type Logger } from '../log';
import { engineSettings, type EngineSettings } from '../settings';

const MECHANISMS = ['scram-sha-512', 'plain'] as const;

/**
 * SASL/TLS options from the environment: KAFKA_SASL_MECHANISM (scram-sha-512 | plain; unset = no
 * auth), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SSL (true | false, default false).
 */
export function kafkaSecurity(env: NodeJS.ProcessEnv = process.env): Pick<KafkaConfig, 'sasl' | 'ssl'> {
  const sslRaw = env.KAFKA_SSL ?? 'false';
  if (sslRaw !== 'true' && sslRaw !== 'false') throw new UsageError(`KAFKA_SSL must be true or false, got "${sslRaw}"`);
  const ssl = sslRaw === 'true';
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined || mechanism === '') return { ssl };
  if (!(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new UsageError(`KAFKA_SASL_MECHANISM must be one of ${MECHANISMS.join(', ')}, got "${mechanism}"`);
  }
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (username === undefined || username === '') throw new UsageError(`KAFKA_SASL_USERNAME is required when KAFKA_SASL_MECHANISM is "${mechanism}"`);
  if (password === undefined || password === '') throw new UsageError(`KAFKA_SASL_PASSWORD is required when KAFKA_SASL_MECHANISM is "${mechanism}"`);
  const sasl = { mechanism, username, password } as SASLOptions;
  return { ssl, sasl };
}

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

/** The runtime's kafkajs client: brokers from settings (KAFKA_BROKERS), security from the environment. */
export function createKafka(clientId: string, settings: EngineSettings = engineSettings(), env: NodeJS.ProcessEnv = process.env): Kafka {
  return new Kafka({
    clientId,
    brokers: [...settings.kafkaBrokers],
    ...kafkaSecurity(env),
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    // kafkajs' own backoff for metadata/connection errors; our retry.ts wraps whole operations.
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(createLogger({ component: 'kafka', client_id: clientId })),
  });
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
