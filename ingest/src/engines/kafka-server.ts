import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EngineError } from '../../../infra/errors';
import type { EngineLayout } from './engine-layout';
import { engineFiles, type EngineServer } from './engine-server';
import { ENGINE_HOST, KAFKA_BOOTSTRAP, KAFKA_CONTROLLER_PORT, KAFKA_PORT } from './endpoints';
import { javaCommand } from './java-runtime';
import { engineMarker } from './process-control';

/**
 * The single KRaft node's server.properties. Choices:
 * - one combined broker+controller, controller listener on its own loopback port;
 * - every internal topic with replication 1 (offsets, share-group state, transaction state with min ISR 1, so the
 *   runtime's idempotent/transactional producers work on one broker) and few partitions, so the
 *   first consumer group or producer id does not wait for 50 partitions to be created;
 * - auto.create.topics.enable=false, like the platform's cluster where topics are declared
 *   (KafkaTopic): code that forgets to create its topic fails here as it would there;
 * - group.initial.rebalance.delay.ms=0 so a test's consumer joins at once.
 */
export function kafkaServerProperties(dataDir: string): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${ENGINE_HOST}:${KAFKA_CONTROLLER_PORT}`,
    `listeners=PLAINTEXT://${ENGINE_HOST}:${KAFKA_PORT},CONTROLLER://${ENGINE_HOST}:${KAFKA_CONTROLLER_PORT}`,
    `advertised.listeners=PLAINTEXT://${ENGINE_HOST}:${KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'auto.create.topics.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=4',
    'num.recovery.threads.per.data.dir=1',
    'log.retention.hours=24',
    'log.segment.bytes=67108864',
    '',
  ].join('\n');
}

/** Log4j 2 config (Kafka 4 logs through Log4j 2): everything to stdout, which the launcher appends to the engine's log file. */
export const LOG4J2_PROPERTIES = [
  'status = warn',
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = info',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  // config dumps and client chatter make the log tail of a failed start unreadable
  'logger.clients.name = org.apache.kafka.clients',
  'logger.clients.level = warn',
  'logger.config.name = org.apache.kafka.common.config.AbstractConfig',
  'logger.config.level = warn',
  'logger.reflections.name = org.reflections',
  'logger.reflections.level = error',
  '',
].join('\n');

/** A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints). */
export function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

async function probeKafka(): Promise<string | undefined> {
  const admin = new Kafka({
    clientId: 'mysimbdp-engines-probe',
    brokers: [KAFKA_BOOTSTRAP],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller ?? 'none'}`;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function prepareKafka(layout: EngineLayout, jars: readonly string[]): Promise<readonly string[]> {
  const files = engineFiles(layout, 'kafka');
  fs.mkdirSync(files.confDir, { recursive: true });
  const propsFile = path.join(files.confDir, 'server.properties');
  const log4jFile = path.join(files.confDir, 'log4j2.properties');
  fs.writeFileSync(propsFile, kafkaServerProperties(files.dataDir));
  fs.writeFileSync(log4jFile, LOG4J2_PROPERTIES);
  const classpath = jars.join(path.delimiter);
  const jvm = [
    engineMarker('kafka'),
    '-Xms256m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    classpath,
  ];
  // KRaft storage is formatted once; meta.properties marks a formatted log dir.
  if (!fs.existsSync(path.join(files.dataDir, 'meta.properties'))) {
    await formatStorage(jvm, propsFile);
  }
  return [...jvm, 'kafka.Kafka', propsFile];
}

function formatStorage(jvm: readonly string[], propsFile: string): Promise<void> {
  const args = [...jvm.filter((a) => a !== engineMarker('kafka')), 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', propsFile];
  return new Promise((resolve, reject) => {
    execFile(javaCommand(), args, { maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve();
      reject(new EngineError(`kafka storage format failed: ${err.message}\n${stdout}${stderr}`, { cause: err }));
    });
  });
}

export const kafkaServer: EngineServer = {
  name: 'kafka',
  endpoint: KAFKA_BOOTSTRAP,
  ports: [KAFKA_PORT, KAFKA_CONTROLLER_PORT],
  startTimeoutMs: 120_000,
  probe: probeKafka,
  prepare: prepareKafka,
};
