import { KafkaJSNonRetriableError, KafkaJSProtocolError, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafka, isRebalanceError, kafkaLogCreator } from '../../../ingest/src/kafka/kafka-client';
import { createLogger } from '../../../ingest/src/log';

describe('kafkaLogCreator', () => {
  it('writes kafkajs errors as JSON lines and keeps info at debug', async () => {
    const lines: string[] = [];
    const log = kafkaLogCreator(createLogger({ component: 'kafka' }, { write: (l) => lines.push(l) }))!(logLevel.INFO);
    log({ namespace: 'Producer', level: logLevel.ERROR, label: 'ERROR', log: { timestamp: 'x', message: 'boom', broker: 'b:9092' } });
    log({ namespace: 'Consumer', level: logLevel.INFO, label: 'INFO', log: { timestamp: 'x', message: 'joined' } });
    log({ namespace: 'Producer', level: logLevel.WARN, label: 'WARN', log: { timestamp: 'x', message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees' } });
    await expect(lines).toHaveLength(1);
    await expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'boom', component: 'kafka', kafka_namespace: 'Producer', broker: 'b:9092' });
  });
});

describe('createKafka', () => {
  it('builds a client from the given brokers', async () => {
    const kafka = createKafka('t', { kafkaBrokers: ['127.0.0.1:1'], kafkaSsl: false, cassandraContactPoints: [], cassandraLocalDc: 'dc' });
    await expect(typeof kafka.producer).toBe('function');
  });
});

describe('isRebalanceError', () => {
  const protocol = (type: string) => new KafkaJSProtocolError({ message: type, type, code: 22, retriable: false } as unknown as Error);
  // what kafkajs' retrier throws for a non-retriable error (its typings omit the options argument)
  const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, options: { cause: Error }) => Error;
  const wrapped = (e: Error) => new NonRetriable(e, { cause: e });

  it('recognises a rebalance type directly and wrapped the way kafkajs wraps a non-retriable commit error', async () => {
    const illegal = protocol('ILLEGAL_GENERATION');
    await expect(isRebalanceError(illegal)).toBe(true);
    await expect(isRebalanceError(wrapped(illegal))).toBe(true);
    await expect(isRebalanceError(protocol('REBALANCE_IN_PROGRESS'))).toBe(true);
  });

  it('does not take other errors for a rebalance', async () => {
    const denied = protocol('GROUP_AUTHORIZATION_FAILED');
    await expect(isRebalanceError(wrapped(denied))).toBe(false);
    await expect(isRebalanceError(new Error('ILLEGAL_GENERATION'))).toBe(false);
    await expect(isRebalanceError(undefined)).toBe(false);
  });
});
