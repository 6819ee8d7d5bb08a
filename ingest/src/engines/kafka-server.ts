import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { EngineCredentials } from '../../../infra/credentials';
import { EngineError } from '../../../infra/errors';
import type { EngineLayout } from './engine-layout';
import { engineFiles, type EngineServer } from './engine-server';
import { ENGINE_HOST, KAFKA_BOOTSTRAP, KAFKA_CONTROLLER_PORT, KAFKA_PORT } from './endpoints';
import { javaCommand } from './java-runtime';
import { jaasOptions } from './kafka-sasl';
import { claimDataDir } from './platform-credentials';
import { engineMarker } from './process-control';

/** The listener clients use: SASL/SCRAM-SHA-512 on 127.0.0.1:9092, as Strimzi's `scram` listener on a cluster. */
export const KAFKA_CLIENT_LISTENER = 'SCRAM';

/**
 * The single KRaft node's server.properties. Choices:
 * - one combined broker+controller, controller listener on its own loopback port;
 * - security as on the cluster: clients authenticate with SCRAM-SHA-512 on the one client listener,
 *   the KRaft StandardAuthorizer denies what no ACL allows, and the platform's principal is the only
 *   super user. The broker talks to itself over that listener as the platform; the controller
 *   listener takes PLAIN with the platform as its only user (SCRAM credentials live in the metadata
 *   log, which the controller serves, so they cannot guard it);
 * - every internal topic with replication 1 (offsets, share-group state, transaction state with min ISR 1, so the
 *   runtime's idempotent/transactional producers work on one broker) and few partitions, so the
 *   first consumer group or producer id does not wait for 50 partitions to be created;
 * - auto.create.topics.enable=false, like the platform's cluster where topics are declared
 *   (KafkaTopic): code that forgets to create its topic fails here as it would there;
 * - group.initial.rebalance.delay.ms=0 so a test's consumer joins at once.
 */
export function kafkaServerProperties(dataDir: string, login: { readonly username: string; readonly password: string }): string {
  const l = KAFKA_CLIENT_LISTENER.toLowerCase();
  const platform = { username: login.username, password: login.password };
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${ENGINE_HOST}:${KAFKA_CONTROLLER_PORT}`,
    `listeners=${KAFKA_CLIENT_LISTENER}://${ENGINE_HOST}:${KAFKA_PORT},CONTROLLER://${ENGINE_HOST}:${KAFKA_CONTROLLER_PORT}`,
    `advertised.listeners=${KAFKA_CLIENT_LISTENER}://${ENGINE_HOST}:${KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    `inter.broker.listener.name=${KAFKA_CLIENT_LISTENER}`,
    `listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,${KAFKA_CLIENT_LISTENER}:SASL_PLAINTEXT`,
    `listener.name.${l}.sasl.enabled.mechanisms=SCRAM-SHA-512`,
    `listener.name.${l}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required ${jaasOptions(platform)};`,
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${jaasOptions({ ...platform, [`user_${platform.username}`]: platform.password })};`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=User:${platform.username}`,
    'allow.everyone.if.no.acl.found=false',
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

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid`
 * prints). Like Kafka's own, never starting with '-': one id in 64 would, and `format -t -…` reads
 * it as an option.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function probeKafka(platform: EngineCredentials | undefined): Promise<string | undefined> {
  if (platform === undefined) return undefined;
  const { username, password } = platform.kafka;
  const admin = new Kafka({
    clientId: 'mysimbdp-engines-probe',
    brokers: [KAFKA_BOOTSTRAP],
    sasl: { mechanism: 'scram-sha-512', username, password },
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

async function prepareKafka(layout: EngineLayout, jars: readonly string[], platform: EngineCredentials, progress: (line: string) => void): Promise<readonly string[]> {
  const files = engineFiles(layout, 'kafka');
  fs.mkdirSync(files.confDir, { recursive: true });
  const propsFile = path.join(files.confDir, 'server.properties');
  const log4jFile = path.join(files.confDir, 'log4j2.properties');
  // the properties hold the platform's password
  fs.writeFileSync(propsFile, kafkaServerProperties(files.dataDir, platform.kafka), { mode: 0o600 });
  if (claimDataDir(files.dataDir, platform.kafka.password)) progress('kafka: cleared data made without the current platform credentials');
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
    await formatStorage(jvm, propsFile, platform.kafka);
  }
  return [...jvm, 'kafka.Kafka', propsFile];
}

/** Formats the KRaft log dir with the platform's SCRAM credential in it, so the broker can log in to itself. */
function formatStorage(jvm: readonly string[], propsFile: string, platform: { readonly username: string; readonly password: string }): Promise<void> {
  const scram = `SCRAM-SHA-512=[name=${platform.username},password=${platform.password}]`;
  const args = [...jvm.filter((a) => a !== engineMarker('kafka')), 'kafka.tools.StorageTool', 'format', '-t', newClusterId(), '-c', propsFile, '--add-scram', scram];
  return new Promise((resolve, reject) => {
    execFile(javaCommand(), args, { maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) return resolve();
      // not err.message: it repeats the command line, password included
      reject(new EngineError(`kafka storage format failed (exit ${String(err.code)}):\n${stdout}${stderr}`));
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
