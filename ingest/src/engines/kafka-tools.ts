import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../../../infra/errors';
import type { EngineLayout } from './engine-layout';
import { engineFiles } from './engine-server';
import { javaCommand } from './java-runtime';
import { resolveClasspath } from './maven-artifacts';
import { credentialsDir } from './platform-credentials';
import { KAFKA_BOOTSTRAP } from './endpoints';

// Kafka's own command-line tools, of the engine's version, logged in as the platform: what an
// operator reaches for to look at topics, groups and ACLs (Debian's kcat cannot log in to Kafka 4
// with SCRAM: its librdkafka 2.0 predates the fix).

/** Each tool: its main class and the flag that takes a client config file. */
export const KAFKA_TOOLS = {
  'console-consumer': { main: 'org.apache.kafka.tools.consumer.ConsoleConsumer', config: '--consumer.config' },
  'console-producer': { main: 'org.apache.kafka.tools.ConsoleProducer', config: '--producer.config' },
  topics: { main: 'org.apache.kafka.tools.TopicCommand', config: '--command-config' },
  'consumer-groups': { main: 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', config: '--command-config' },
  acls: { main: 'org.apache.kafka.tools.AclCommand', config: '--command-config' },
  configs: { main: 'kafka.admin.ConfigCommand', config: '--command-config' },
} as const;
export type KafkaToolName = keyof typeof KAFKA_TOOLS;

/** The tools log to stderr, so that their stdout is what they print (messages, listings) and nothing else. */
const TOOLS_LOG4J2 = [
  'appender.err.type = Console',
  'appender.err.name = ERR',
  'appender.err.target = SYSTEM_ERR',
  'appender.err.layout.type = PatternLayout',
  'appender.err.layout.pattern = %p %m%n',
  'rootLogger.level = warn',
  'rootLogger.appenderRef.err.ref = ERR',
  '',
].join('\n');

/**
 * JVM options of a short-lived Java client of the local Kafka (a tool, the access tool): the
 * engine's classpath, a quick start, logs on stderr.
 */
export async function kafkaClientJvmArgs(layout: EngineLayout): Promise<string[]> {
  const classpath = await resolveClasspath(engineFiles(layout, 'kafka').pom, layout.classpathDir);
  const log4j = path.join(engineFiles(layout, 'kafka').confDir, 'tools-log4j2.properties');
  fs.mkdirSync(path.dirname(log4j), { recursive: true });
  fs.writeFileSync(log4j, TOOLS_LOG4J2);
  return ['-XX:TieredStopAtLevel=1', `-Dlog4j2.configurationFile=${log4j}`, '-cp', classpath.jars.join(path.delimiter)];
}

/** The `java` arguments that run `tool` against the local engine with `configFile` (@default the platform's login). */
export async function kafkaToolArgs(layout: EngineLayout, tool: string, args: readonly string[], configFile?: string): Promise<string[]> {
  const spec = (KAFKA_TOOLS as Record<string, { main: string; config: string } | undefined>)[tool];
  if (spec === undefined) throw new UsageError(`unknown Kafka tool "${tool}" (one of ${Object.keys(KAFKA_TOOLS).join(', ')})`);
  return [
    ...(await kafkaClientJvmArgs(layout)),
    spec.main,
    '--bootstrap-server',
    KAFKA_BOOTSTRAP,
    spec.config,
    configFile ?? path.join(credentialsDir(layout), 'platform.properties'),
    ...args,
  ];
}

/** Runs the tool with this process's stdin, stdout and stderr; resolves with its exit code. */
export async function runKafkaTool(layout: EngineLayout, tool: string, args: readonly string[]): Promise<number> {
  const javaArgs = await kafkaToolArgs(layout, tool, args);
  return new Promise((resolve, reject) => {
    const child = spawn(javaCommand(), javaArgs, { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
